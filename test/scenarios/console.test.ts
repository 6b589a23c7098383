import { describe, expect, it } from 'vitest';
import { parseComposeLogLine } from '../../runner/docker/backend.ts';
import { markState, parseAccessLine } from '../../scenarios/console/access-log.ts';
import { groupCounts } from '../../scenarios/console/stores.ts';

describe("the console's reading of nginx's access log", () => {
  it('reads a request, the node that answered and the session state', () => {
    const request = parseAccessLine('127.0.0.1 "GET /cart HTTP/1.1" 200 upstream=127.0.0.1:35763 served_by=server_1 session=existing device="-" rt=0.007');
    expect(request).toEqual({ client: '127.0.0.1', device: undefined, method: 'GET', path: '/cart', status: 200, node: 'server_1', session: 'existing', upstreamTries: 1, seconds: 0.007 });
    expect(markState(request!)).toBe('existing');
  });

  it('reads a request nginx passed on to a second node, and one no node answered', () => {
    const passed = parseAccessLine('10.213.4.1 "GET /cart HTTP/1.1" 200 upstream=10.213.4.2:3000, 10.213.4.3:3000 served_by=server_2 session=existing device="-" rt=1.004');
    expect(passed).toMatchObject({ node: 'server_2', upstreamTries: 2 });
    const none = parseAccessLine('127.0.0.1 "POST /cart/items HTTP/1.1" 502 upstream=127.0.0.1:1 served_by=- session=- device="-" rt=0.001');
    expect(none).toMatchObject({ status: 502, node: undefined, session: undefined });
    expect(markState(none!)).toBe('error');
  });

  it('names the lab device that sent it, whatever its name holds (nginx escapes a quote as \\x22)', () => {
    const line = (device: string) => `127.0.0.1 "POST /cart/items HTTP/1.1" 201 upstream=127.0.0.1:3001 served_by=server_1 session=new device="${device}" rt=0.002`;
    expect(parseAccessLine(line('device-1'))).toMatchObject({ device: 'device-1', status: 201, session: 'new' });
    expect(parseAccessLine(line('my phone \\x22x\\x22 rt=1'))).toMatchObject({ device: 'my phone \\x22x\\x22 rt=1', seconds: 0.002 });
  });

  it('ignores the other lines nginx writes', () => {
    expect(parseAccessLine('2026/11/28 10:28:45 [notice] 123#123: start worker processes')).toBeUndefined();
  });

  it('reads a line of docker compose logs as its service and line', () => {
    expect(parseComposeLogLine('\x1b[36mserver_1-1  | \x1b[0mserver_1 listening on port 3000')).toEqual({ service: 'server_1', line: 'server_1 listening on port 3000' });
    expect(parseComposeLogLine('redis_replica-1  | ready')).toEqual({ service: 'redis_replica', line: 'ready' });
    expect(parseComposeLogLine('Attaching to nginx-1')).toBeUndefined();
  });
});

describe("the console's store counts", () => {
  it('shows a shared store once and a node’s own files per node', () => {
    const counts = groupCounts([
      { node: 'server_1', store: 'redis', target: 'redis://redis:6379', sessions: 4 },
      { node: 'server_2', store: 'redis', target: 'redis://redis:6379', sessions: 4 },
    ]);
    expect(counts).toEqual([{ label: 'redis redis://redis:6379', store: 'redis', sessions: 4 }]);
    const files = groupCounts([
      { node: 'server_2', store: 'file', target: '/data', sessions: 1 },
      { node: 'server_1', store: 'file', target: '/data', sessions: 3 },
    ]);
    expect(files.map((c) => `${c.label}: ${c.sessions}`)).toEqual(["server_1's files: 3", "server_2's files: 1"]);
  });
});
