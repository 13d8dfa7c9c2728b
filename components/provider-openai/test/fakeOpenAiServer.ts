/**
 * A loopback server that speaks the OpenAI Chat Completions wire protocol (`POST /v1/chat/completions`, bearer
 * auth, JSON answers, `data:` server-sent chunks closed by `data: [DONE]`, `{ error: { message, type, code } }`
 * bodies, `retry-after` headers) — what OpenAI, Ollama, vLLM and llama.cpp serve. Replies are queued per test;
 * every request is recorded. Faults: any status with any headers, a server that never answers, a stream whose
 * socket is destroyed after N chunks, a stream that ends without its finish reason.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

export const FAKE_KEY = "sk-openai-test-key"

type Reply =
  | {
      readonly kind: "json"
      readonly status?: number
      readonly headers?: Record<string, string>
      readonly body: unknown
    }
  | {
      readonly kind: "sse"
      readonly chunks: ReadonlyArray<unknown>
      readonly done?: boolean
      readonly destroyAfter?: number
    }
  | { readonly kind: "hang" }

interface Recorded {
  readonly url: string
  readonly headers: IncomingMessage["headers"]
  readonly body: Record<string, unknown>
}

export interface FakeOpenAi {
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
  res.writeHead(status, { "content-type": "application/json", "x-request-id": "req_openai_fake", ...headers })
  res.end(JSON.stringify(body))
}

export const errorBody = (message: string, type: string, code: string | null = null) => ({
  error: { message, type, param: null, code }
})

export const startFakeOpenAi = (options: { readonly requireKey?: boolean } = {}): Promise<FakeOpenAi> => {
  const queue: Array<Reply> = []
  const requests: Array<Recorded> = []
  const hanging = new Set<ServerResponse>()
  const server = createServer(async (req, res) => {
    const text = await readBody(req)
    const body = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>)
    requests.push({ url: req.url ?? "", headers: req.headers, body })
    if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
      return sendJson(
        res,
        404,
        errorBody(`Unknown request URL: ${req.method} ${req.url}`, "invalid_request_error")
      )
    }
    if ((options.requireKey ?? true) && req.headers.authorization !== `Bearer ${FAKE_KEY}`) {
      return sendJson(
        res,
        401,
        errorBody("Incorrect API key provided", "invalid_request_error", "invalid_api_key")
      )
    }
    const reply = queue.shift()
    if (reply === undefined) return sendJson(res, 500, errorBody("no reply queued", "server_error"))
    switch (reply.kind) {
      case "json":
        return sendJson(res, reply.status ?? 200, reply.body, reply.headers)
      case "hang":
        hanging.add(res)
        return
      case "sse": {
        res.writeHead(200, { "content-type": "text/event-stream", "x-request-id": "req_openai_sse" })
        const sent =
          reply.destroyAfter === undefined ? reply.chunks : reply.chunks.slice(0, reply.destroyAfter)
        for (const chunk of sent) res.write(`data: ${JSON.stringify(chunk)}\n\n`)
        if (reply.destroyAfter !== undefined) {
          setTimeout(() => res.socket?.destroy(), 30)
          return
        }
        if (reply.done ?? true) res.write("data: [DONE]\n\n")
        res.end()
      }
    }
  })
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resolve({
        baseUrl: `http://127.0.0.1:${port}/v1`,
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

/** A whole Chat Completions answer. */
export const completionBody = (options: {
  readonly content?: string | null
  readonly toolCalls?: ReadonlyArray<{
    readonly id: string
    readonly name: string
    readonly arguments: string
  }>
  readonly finishReason?: string
  readonly usage?: Record<string, unknown>
}) => ({
  id: "chatcmpl-fake-1",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "gpt-4.1-mini-2025-04-14",
  choices: [
    {
      index: 0,
      message: {
        role: "assistant",
        content: options.content ?? null,
        refusal: null,
        ...(options.toolCalls === undefined
          ? {}
          : {
              tool_calls: options.toolCalls.map((call) => ({
                id: call.id,
                type: "function",
                function: { name: call.name, arguments: call.arguments }
              }))
            })
      },
      finish_reason: options.finishReason ?? "stop"
    }
  ],
  usage: options.usage ?? { prompt_tokens: 20, completion_tokens: 4, total_tokens: 24 }
})

const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
  id: "chatcmpl-fake-stream",
  object: "chat.completion.chunk",
  created: 1_700_000_000,
  model: "gpt-4.1-mini-2025-04-14",
  choices: [{ index: 0, delta, finish_reason: finishReason }],
  usage: null
})

/** The chunks of a streamed answer: role, text pieces, an optional tool call in pieces, finish, usage. */
export const streamChunks = (options: {
  readonly textPieces: ReadonlyArray<string>
  readonly toolCall?: {
    readonly id: string
    readonly name: string
    readonly argumentPieces: ReadonlyArray<string>
  }
  readonly finishReason?: string
}) => [
  chunk({ role: "assistant", content: "" }),
  ...options.textPieces.map((piece) => chunk({ content: piece })),
  ...(options.toolCall === undefined
    ? []
    : [
        chunk({
          tool_calls: [
            {
              index: 0,
              id: options.toolCall.id,
              type: "function",
              function: { name: options.toolCall.name, arguments: "" }
            }
          ]
        }),
        ...options.toolCall.argumentPieces.map((piece) =>
          chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] })
        )
      ]),
  chunk({}, options.finishReason ?? "stop"),
  {
    id: "chatcmpl-fake-stream",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model: "gpt-4.1-mini-2025-04-14",
    choices: [],
    usage: {
      prompt_tokens: 50,
      completion_tokens: 9,
      total_tokens: 59,
      prompt_tokens_details: { cached_tokens: 32 },
      completion_tokens_details: { reasoning_tokens: 3 }
    }
  }
]
