// The devices' HTTP client: one cookie jar per device, an optional source address.
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { Device } from '../../runner/http-client.ts';

let server: Server | undefined;
const devices: Device[] = [];
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close()));
  server?.close();
});

/** Echoes the client's address and cookies; sets the cookies the query asks for. */
async function echoServer(): Promise<string> {
  server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const setCookies = url.searchParams.getAll('set');
    if (setCookies.length) res.setHeader('set-cookie', setCookies);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ address: req.socket.remoteAddress, cookie: req.headers.cookie ?? null }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

function device(name: string, url: string, localAddress?: string): Device {
  const d = new Device(name, url, localAddress ? { localAddress } : {});
  devices.push(d);
  return d;
}

/**
 * Answers every request, but drops the first one that reaches a connection which already served
 * one, unanswered, as an nginx reload closes an idle keep-alive connection just as a request goes
 * out. With dropFresh, every request is dropped, on whatever connection.
 */
async function closingServer(dropFresh = false): Promise<{ url: string; received: () => number }> {
  let received = 0;
  let droppedOne = false;
  server = createServer((req, res) => {
    received++;
    const served = (req.socket as { served?: number }).served ?? 0;
    (req.socket as { served?: number }).served = served + 1;
    if (dropFresh || (served > 0 && !droppedOne)) {
      droppedOne = true;
      req.socket.destroy();
      return;
    }
    res.end('ok');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, received: () => received };
}

describe('Device', () => {
  describe('when a kept-alive connection closes as a request goes out', () => {
    it('sends the request again, once, on a new connection, as a browser does (POST too)', async () => {
      const { url, received } = await closingServer();
      const browser = device('browser', url);
      const statuses = [];
      for (const sku of ['apple', 'bread', 'cheese', 'dates']) statuses.push((await browser.post('/add', { sku })).status);
      expect(statuses).toEqual([200, 200, 200, 200]);
      // Four requests, one of them dropped on a reused connection and sent again.
      expect(received()).toBe(5);
    });
  });

  describe('when a fresh connection closes before its answer', () => {
    it('fails: a request the server may have seen is not sent twice', async () => {
      const { url, received } = await closingServer(true);
      await expect(device('browser', url).post('/add', { sku: 'apple' })).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
      expect(received()).toBe(1);
    });
  });

  it('connects from the loopback address it is given, so that ip_hash sees distinct clients', async () => {
    const url = await echoServer();
    expect((await device('a', url, '127.0.0.2').get('/')).body).toMatchObject({ address: '127.0.0.2' });
    expect((await device('b', url, '127.0.0.3').get('/')).body).toMatchObject({ address: '127.0.0.3' });
  });

  it('keeps its own cookies, sends them back, and forgets one the server expires', async () => {
    const url = await echoServer();
    const phone = device('phone', url);
    const laptop = device('laptop', url);
    await phone.get('/?set=lab_sid%3Ds%253Aabc.sig%3B%20Path%3D%2F%3B%20HttpOnly&set=other%3D1');
    expect((await phone.get('/')).body).toMatchObject({ cookie: 'lab_sid=s%3Aabc.sig; other=1' });
    expect((await laptop.get('/')).body).toMatchObject({ cookie: null });
    await phone.get('/?set=lab_sid%3D%3B%20Expires%3DThu%2C%2001%20Jan%201970%2000%3A00%3A00%20GMT');
    expect((await phone.get('/')).body).toMatchObject({ cookie: 'other=1' });
  });

  it('keeps a Secure cookie for https only, as a browser does: over http it is not sent', async () => {
    const url = await echoServer();
    const phone = device('phone', url);
    await phone.get('/?set=lab_sid%3Dabc%3B%20Path%3D%2F%3B%20Secure&set=other%3D1');
    expect(phone.cookie('lab_sid')).toBe('abc');
    expect((await phone.get('/')).body).toMatchObject({ cookie: 'other=1' });
  });

  it('follows a redirect the moment its headers arrive, with the cookies they set, before the body has ended', async () => {
    // The redirect's headers and all but its last byte at once; the last byte only 100 ms after the
    // followed GET was answered, as express-session holds it back until its save ends.
    let releaseLastByte: () => void = () => {};
    server = createServer((req, res) => {
      if (req.url === '/form') {
        res.writeHead(303, { location: '/next', 'set-cookie': 'lab_sid=s%3Anew.sig', 'content-length': '4' });
        res.write('See');
        releaseLastByte = () => res.end('.');
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ cookie: req.headers.cookie ?? null }));
      setTimeout(releaseLastByte, 100);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const browser = device('browser', `http://127.0.0.1:${(server.address() as { port: number }).port}`);
    const { first, followed, headersAtMs, bodyEndedAtMs } = await browser.sendFollowingRedirect('POST', '/form', { a: 1 });
    expect([first.status, first.text]).toEqual([303, 'See.']);
    expect(followed?.answer).toMatchObject({ body: { cookie: 'lab_sid=s%3Anew.sig' } });
    expect(bodyEndedAtMs).toBeGreaterThan(headersAtMs);
    // Each end is its own: the followed GET's is not held back by the first body's.
    expect(bodyEndedAtMs - followed!.endedAtMs).toBeGreaterThan(50);
  });

  it('sends no second request when the answer is not a redirect', async () => {
    const url = await echoServer();
    const { first, followed } = await device('browser', url).sendFollowingRedirect('GET', '/');
    expect([first.status, followed]).toEqual([200, undefined]);
  });
});
