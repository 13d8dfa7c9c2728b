/**
 * A loopback server that speaks the Gemini API wire protocol the `@google/genai` SDK uses:
 * `POST /v1beta/models/{model}:generateContent` and `:streamGenerateContent?alt=sse` (`data:` chunks), the
 * `x-goog-api-key` header, `usageMetadata`, and Google RPC error bodies (`{ error: { code, message, status,
 * details } }` with `RetryInfo.retryDelay` and `ErrorInfo.reason`). Replies are queued per test; every request is
 * recorded. Faults: any status, a server that never answers, a stream whose socket is destroyed after N chunks.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

export const FAKE_KEY = "gemini-test-key"

type Reply =
  | { readonly kind: "json"; readonly status?: number; readonly body: unknown }
  | { readonly kind: "sse"; readonly chunks: ReadonlyArray<unknown>; readonly destroyAfter?: number }
  | { readonly kind: "hang" }

interface Recorded {
  readonly url: string
  readonly headers: IncomingMessage["headers"]
  readonly body: Record<string, unknown>
}

export interface FakeGemini {
  readonly baseUrl: string
  readonly requests: Array<Recorded>
  readonly reply: (...replies: ReadonlyArray<Reply>) => void
  readonly close: () => Promise<void>
}

const ROUTE = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent\?alt=sse)$/

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })

const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json; charset=UTF-8" })
  res.end(JSON.stringify(body))
}

export const rpcError = (
  code: number,
  status: string,
  message: string,
  details: ReadonlyArray<unknown> = []
) => ({
  error: { code, message, status, details }
})

export const startFakeGemini = (): Promise<FakeGemini> => {
  const queue: Array<Reply> = []
  const requests: Array<Recorded> = []
  const hanging = new Set<ServerResponse>()
  const server = createServer(async (req, res) => {
    const text = await readBody(req)
    const body = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>)
    requests.push({ url: req.url ?? "", headers: req.headers, body })
    const route = ROUTE.exec(req.url ?? "")
    if (req.method !== "POST" || route === null) {
      return sendJson(res, 404, rpcError(404, "NOT_FOUND", `no route ${req.method} ${req.url}`))
    }
    if (req.headers["x-goog-api-key"] !== FAKE_KEY) {
      return sendJson(
        res,
        400,
        rpcError(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [
          {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            reason: "API_KEY_INVALID",
            domain: "googleapis.com"
          }
        ])
      )
    }
    const reply = queue.shift()
    if (reply === undefined) return sendJson(res, 500, rpcError(500, "INTERNAL", "no reply queued"))
    const streaming = route[2] !== "generateContent"
    switch (reply.kind) {
      case "json":
        return sendJson(res, reply.status ?? 200, reply.body)
      case "hang":
        hanging.add(res)
        return
      case "sse": {
        if (!streaming)
          return sendJson(res, 500, rpcError(500, "INTERNAL", "an SSE reply was queued for a unary call"))
        res.writeHead(200, { "content-type": "text/event-stream" })
        const sent =
          reply.destroyAfter === undefined ? reply.chunks : reply.chunks.slice(0, reply.destroyAfter)
        for (const chunk of sent) res.write(`data: ${JSON.stringify(chunk)}\r\n\r\n`)
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

/** A Gemini answer: parts of the first candidate, its finish reason and usage metadata. */
export const answer = (
  parts: ReadonlyArray<unknown>,
  options: { readonly finishReason?: string; readonly usage?: Record<string, number> } = {}
) => ({
  candidates: [
    {
      content: { role: "model", parts },
      ...(options.finishReason === undefined ? {} : { finishReason: options.finishReason }),
      index: 0
    }
  ],
  ...(options.usage === undefined ? {} : { usageMetadata: options.usage }),
  modelVersion: "gemini-2.5-flash-001",
  responseId: "resp-fake-1"
})
