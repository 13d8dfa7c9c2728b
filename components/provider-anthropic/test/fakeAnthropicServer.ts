/**
 * A loopback server that speaks the Anthropic Messages API wire protocol (`POST /v1/messages`, JSON answers,
 * server-sent events, error bodies and headers) for the official SDK under test. Replies are queued per test; every
 * request is recorded. Faults: any status with any headers, a server that never answers, a stream whose socket is
 * destroyed after N events, a stream that ends cleanly without `message_stop`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

export const FAKE_KEY = "sk-ant-test-key"

type Reply =
  | {
      readonly kind: "json"
      readonly status?: number
      readonly headers?: Record<string, string>
      readonly body: unknown
    }
  | {
      readonly kind: "sse"
      readonly events: ReadonlyArray<{ readonly event: string; readonly data: unknown }>
      /** Destroy the socket after this many events (a connection cut midway). */
      readonly destroyAfter?: number
    }
  | { readonly kind: "hang" }

interface Recorded {
  readonly method: string
  readonly url: string
  readonly headers: IncomingMessage["headers"]
  readonly body: Record<string, unknown>
}

export interface FakeAnthropic {
  readonly baseUrl: string
  readonly requests: Array<Recorded>
  readonly reply: (...replies: ReadonlyArray<Reply>) => void
  readonly close: () => Promise<void>
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })

const sendJson = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
) => {
  res.writeHead(status, { "content-type": "application/json", "request-id": "req_fake_1", ...headers })
  res.end(JSON.stringify(body))
}

export const errorBody = (type: string, message: string) => ({ type: "error", error: { type, message } })

export const startFakeAnthropic = (): Promise<FakeAnthropic> => {
  const queue: Array<Reply> = []
  const requests: Array<Recorded> = []
  const hanging = new Set<ServerResponse>()
  const server = createServer(async (req, res) => {
    const text = await readBody(req)
    const body = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>)
    requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body })
    if (req.method !== "POST" || req.url !== "/v1/messages") {
      return sendJson(res, 404, errorBody("not_found_error", `no route ${req.method} ${req.url}`))
    }
    // The API takes the key as `x-api-key`; SDK 1.x sends it as `Authorization: Bearer <key>`. Either is accepted.
    if (req.headers["x-api-key"] !== FAKE_KEY && req.headers.authorization !== `Bearer ${FAKE_KEY}`) {
      return sendJson(res, 401, errorBody("authentication_error", "invalid x-api-key"))
    }
    if (typeof req.headers["anthropic-version"] !== "string") {
      return sendJson(res, 400, errorBody("invalid_request_error", "anthropic-version header is required"))
    }
    const reply = queue.shift()
    if (reply === undefined) return sendJson(res, 500, errorBody("api_error", "no reply queued"))
    switch (reply.kind) {
      case "json":
        return sendJson(res, reply.status ?? 200, reply.body, reply.headers)
      case "hang":
        hanging.add(res)
        return
      case "sse": {
        res.writeHead(200, {
          "content-type": "text/event-stream",
          "cache-control": "no-cache",
          "request-id": "req_fake_sse"
        })
        const sent =
          reply.destroyAfter === undefined ? reply.events : reply.events.slice(0, reply.destroyAfter)
        for (const event of sent) res.write(`event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`)
        // Let the written events reach the client, then cut the connection without ending the chunked body.
        if (reply.destroyAfter !== undefined) setTimeout(() => res.socket?.destroy(), 30)
        else res.end()
      }
    }
  })
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resolve({
        baseUrl: `http://127.0.0.1:${port}`,
        requests,
        reply: (...replies) => {
          queue.push(...replies)
        },
        close: () =>
          new Promise<void>((done) => {
            for (const res of hanging) res.socket?.destroy()
            server.closeAllConnections()
            server.close(() => done())
          })
      })
    })
  })
}

/** The answer of a whole (non-streaming) Messages API call. */
export const messageBody = (options: {
  readonly text?: string
  readonly toolUse?: { readonly id: string; readonly name: string; readonly input: unknown }
  readonly stopReason?: string
  readonly usage?: Record<string, number>
}) => ({
  id: "msg_fake_1",
  type: "message",
  role: "assistant",
  model: "claude-sonnet-4-6",
  content: [
    ...(options.text === undefined ? [] : [{ type: "text", text: options.text }]),
    ...(options.toolUse === undefined ? [] : [{ type: "tool_use", ...options.toolUse }])
  ],
  stop_reason: options.stopReason ?? "end_turn",
  stop_sequence: null,
  usage: options.usage ?? { input_tokens: 12, output_tokens: 5 }
})

/** The events of a streamed answer: text in pieces, optionally a tool call whose input arrives in pieces. */
export const streamEvents = (options: {
  readonly textPieces: ReadonlyArray<string>
  readonly toolUse?: {
    readonly id: string
    readonly name: string
    readonly inputPieces: ReadonlyArray<string>
  }
  readonly stopReason?: string
}) => {
  const events: Array<{ event: string; data: unknown }> = [
    {
      event: "message_start",
      data: {
        type: "message_start",
        message: {
          id: "msg_fake_stream",
          type: "message",
          role: "assistant",
          model: "claude-sonnet-4-6",
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: {
            input_tokens: 30,
            output_tokens: 1,
            cache_read_input_tokens: 10,
            cache_creation_input_tokens: 0
          }
        }
      }
    },
    {
      event: "content_block_start",
      data: { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }
    },
    { event: "ping", data: { type: "ping" } }
  ]
  for (const piece of options.textPieces) {
    events.push({
      event: "content_block_delta",
      data: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: piece } }
    })
  }
  events.push({ event: "content_block_stop", data: { type: "content_block_stop", index: 0 } })
  if (options.toolUse !== undefined) {
    events.push({
      event: "content_block_start",
      data: {
        type: "content_block_start",
        index: 1,
        content_block: { type: "tool_use", id: options.toolUse.id, name: options.toolUse.name, input: {} }
      }
    })
    for (const piece of options.toolUse.inputPieces) {
      events.push({
        event: "content_block_delta",
        data: {
          type: "content_block_delta",
          index: 1,
          delta: { type: "input_json_delta", partial_json: piece }
        }
      })
    }
    events.push({ event: "content_block_stop", data: { type: "content_block_stop", index: 1 } })
  }
  events.push(
    {
      event: "message_delta",
      data: {
        type: "message_delta",
        delta: { stop_reason: options.stopReason ?? "end_turn", stop_sequence: null },
        usage: { output_tokens: 42 }
      }
    },
    { event: "message_stop", data: { type: "message_stop" } }
  )
  return events
}
