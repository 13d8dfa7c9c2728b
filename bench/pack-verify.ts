/**
 * @module bench/pack-verify
 * Verifying a signed policy pack against a trust root (`verifyPack` of `@gauntlet/pack-archive`): the committed
 * standard packs of `policy-packs/signed/` against `policy-packs/trust-root.dev.json`, each verification from the
 * archive bytes and envelope in memory (signatures, subject digest, archive read and per-file digests). Measures
 * `verify_signed_pack_ms` (median over all packs and iterations; target < 10 ms) for `bench/policy.ts`, and reports
 * its p95 and the process CPU time per verification on stderr (steady on a loaded machine, where the wall-clock
 * tail is scheduling noise).
 * `BENCH_PACK_VERIFY=<n>` sets the iterations per pack (default 200).
 */
import { readdirSync, readFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { verifyPack } from "@gauntlet/pack-archive"
import { DsseEnvelope, decodeTrustRoot } from "@gauntlet/signing"
import { Effect, Schema } from "effect"

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const SIGNED = join(ROOT, "policy-packs", "signed")
/** Inside the dev root's validity window, so the figure does not depend on today's date. */
const NOW = "2026-11-29T12:00:00.000Z"

const quantile = (sorted: ReadonlyArray<number>, q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number

/**
 * Median milliseconds per verification (`verify_signed_pack_ms`, registered in `bench/policy.ts`); the p95 and the
 * CPU time per verification go to stderr.
 */
export const verifySignedPackMs = async (): Promise<number> => {
  const iterations = Number(process.env.BENCH_PACK_VERIFY ?? 200)
  const root = await Effect.runPromise(
    decodeTrustRoot(JSON.parse(readFileSync(join(ROOT, "policy-packs", "trust-root.dev.json"), "utf8")))
  )
  const packs = readdirSync(SIGNED)
    .filter((name) => name.endsWith(".tar.gz"))
    .sort()
    .map((name) => ({
      name,
      archive: new Uint8Array(readFileSync(join(SIGNED, name))),
      envelope: Schema.decodeUnknownSync(DsseEnvelope)(
        JSON.parse(readFileSync(join(SIGNED, name.replace(/\.tar\.gz$/, ".dsse.json")), "utf8"))
      )
    }))
  if (packs.length === 0) throw new Error(`no signed packs in ${SIGNED}`)
  const verifyOnce = (pack: (typeof packs)[number]) =>
    Effect.runPromise(verifyPack({ archive: pack.archive, envelope: pack.envelope, root, now: NOW }))
  for (const pack of packs) {
    const result = await verifyOnce(pack)
    if (!result.ok) throw new Error(`${pack.name} does not verify: ${result.reason}: ${result.detail}`)
    for (let i = 0; i < 20; i++) await verifyOnce(pack)
  }
  const samples: Array<number> = []
  const cpuStart = process.cpuUsage()
  for (let i = 0; i < iterations; i++)
    for (const pack of packs) {
      const start = process.hrtime.bigint()
      await verifyOnce(pack)
      samples.push(Number(process.hrtime.bigint() - start) / 1e6)
    }
  const cpu = process.cpuUsage(cpuStart)
  samples.sort((a, b) => a - b)
  const cpuMs = (cpu.user + cpu.system) / 1000 / samples.length
  process.stderr.write(
    `pack-verify: ${packs.length} packs × ${iterations} iterations (${packs.map((p) => `${p.name} ${p.archive.length} B`).join(", ")}); ` +
      `p95 ${quantile(samples, 0.95).toFixed(3)} ms, CPU ${cpuMs.toFixed(3)} ms per verification\n`
  )
  return quantile(samples, 0.5)
}
