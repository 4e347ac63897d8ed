// The raw floor a Node web process can reach on this machine: a bare `node:http` server answering a tiny
// JSON body, in a process of its own, driven by the same load generator as the app in the same run. The
// no-op tRPC call (`auth.me`) is held against it.
import { portInUse, sleep, startProcess, type LongRunning } from "../../scripts/proc.ts";

const SERVER = `require("node:http").createServer((req, res) => {
  req.resume();
  res.writeHead(200, { "content-type": "application/json", "content-length": 11 });
  res.end('{"ok":true}');
}).listen(Number(process.env.BARE_PORT), "127.0.0.1");`;

export type BareHttp = { url: string; proc: LongRunning };

export async function startBareHttp(port: number): Promise<BareHttp> {
  if (await portInUse(port)) throw new Error(`bare-http floor: port ${port} is already in use (--port moves it)`);
  const proc = startProcess("bare-http", process.execPath, ["-e", SERVER], { env: { ...process.env, BARE_PORT: String(port) } });
  const deadline = Date.now() + 10_000;
  while (!(await portInUse(port))) {
    if (Date.now() > deadline) {
      await proc.stop(1000);
      throw new Error("bare-http floor: the server did not listen within 10 s");
    }
    await sleep(50);
  }
  return { url: `http://127.0.0.1:${port}/`, proc };
}
