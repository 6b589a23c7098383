import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppFileError, parseAppFile, readAppFile } from '../../scenarios/check/app-file.ts';
import { writeAppTopology } from '../../scenarios/check/app-topology.ts';
import { loadTopology } from '../../runner/topology.ts';

const loginOnly = `login:
  user: demo
  password: secret
  request: { method: POST, path: /login, form: { user: "{user}", password: "{password}" } }
  loggedIn: { path: /me, pattern: "{user}" }
`;

const minimal = `name: demo
node:
  command: [node, server.js]
  port: 3000
session:
  cookie: sid
stores:
  memory: {}
roundTrip:
  write: { method: POST, path: /notes, json: { note: "{value}" } }
  read: { path: /notes }
`;

describe('the app file', () => {
  it('reads the examples', () => {
    const express = readAppFile('examples/express/lab-app.yml');
    expect(express).toMatchObject({ name: 'express-notes', cookie: 'connect.sid', node: { port: 3000, ready: '/healthz' }, roundTrip: { read: { find: { json: 'notes' } } } });
    expect(express.expect.redis).toMatchObject({ 'round-robin': 'kept', 'store-outage': 'waits' });
    expect(Object.keys(readAppFile('examples/flask/lab-app.yml').stores)).toEqual(['cookie']);
  });

  it('fills in defaults: ready at /, the read a GET of its text', () => {
    const app = parseAppFile('demo.yml', minimal);
    expect([app.node.ready, app.roundTrip?.read.method, app.roundTrip?.read.find]).toEqual(['/', 'GET', 'text']);
  });

  it('reads a login: signup or one user, the logged-in pattern, logout and log out everywhere', () => {
    const shop = readAppFile('examples/shop/lab-app.yml');
    expect(shop.login).toMatchObject({ stores: ['postgres'], signup: { path: '/signup' }, loggedIn: { path: '/me', pattern: '"username":"{user}"' }, logoutEverywhere: { path: '/logout-all' } });
    expect(readAppFile('examples/express/lab-app.yml').login).toMatchObject({ user: 'demo', password: 'demo-password', logout: { method: 'POST', path: '/logout' } });
  });

  it('takes a login without a round trip', () => {
    const app = parseAppFile('demo.yml', minimal.replace(/roundTrip:[\s\S]*$/, loginOnly));
    expect([app.roundTrip, app.login?.request.path]).toEqual([undefined, '/login']);
  });

  it.each([
    [minimal.replace('  port: 3000\n', '  port: 3000\n  colour: blue\n'), 'demo.yml:5: node.colour: unknown field; known: command, build, dockerfile, image, port, ready, environment'],
    [minimal.replace(/roundTrip:[\s\S]*$/, ''), 'demo.yml:1: roundTrip: is required, or a login: the lab needs one of them to tell that a session continues'],
    [minimal.replace(/roundTrip:[\s\S]*$/, loginOnly.replace('pattern: "{user}"', 'pattern: "(({user}"')), 'demo.yml:13: login.loggedIn.pattern: not a regular expression'],
    [minimal.replace(/roundTrip:[\s\S]*$/, loginOnly.replace('"{password}"', '"{secret}"')), 'demo.yml:12: login.request.form.password: unknown placeholder {secret}; known: {user} {password}'],
    [minimal.replace(/roundTrip:[\s\S]*$/, loginOnly.replace('  password: secret\n', '')), 'demo.yml:10: login: needs both user and password'],
    [minimal.replace(/roundTrip:[\s\S]*$/, `${loginOnly}  stores: [redis]\n`), 'demo.yml:14: login.stores[0]: the file names no redis store (stores: memory)'],
    [minimal.replace('session:\n  cookie: sid\n', ''), 'demo.yml:1: session: is required'],
    [minimal.replace('memory: {}', 'mongo: {}'), 'demo.yml:8: stores.mongo: unknown field; known: memory, file, redis, postgres, cookie'],
    [minimal.replace('"{value}"', '"{valeu}"'), 'demo.yml:10: roundTrip.write.json.note: unknown placeholder {valeu}; known: {value}'],
    [minimal.replace('path: /notes }', 'path: notes }'), 'demo.yml:11: roundTrip.read.path: must be a path starting with / (got "notes")'],
    [minimal.replace('  command: [node, server.js]\n', ''), 'demo.yml:3: node: needs a command (local backend), a build context or an image (compose backend)'],
    [`${minimal}expect:\n  memory:\n    round-robbin: lost\n`, 'demo.yml:14: expect.memory.round-robbin: unknown field; known: round-robin, secret-per-node, node-restart, node-kill, store-outage, store-pause, store-crash, concurrent-writes, cookie-flags, cookie-secure, cookie-size, session-fixation, logout-replay, logout-everywhere'],
    [`${minimal}expect:\n  redis:\n    round-robin: kept\n`, 'demo.yml:14: expect.redis: the file names no redis store (stores: memory)'],
    ['name: [1', 'demo.yml: not YAML'],
  ])('refuses a bad file with the field and its line (%#)', (text, message) => {
    expect(() => parseAppFile('demo.yml', text)).toThrow(AppFileError);
    expect(() => parseAppFile('demo.yml', text)).toThrow(message);
  });

  it('becomes a topology the engine reads: N nodes of the app, its port variable, the store the lab runs', () => {
    const app = readAppFile('examples/express/lab-app.yml');
    const topology = loadTopology(writeAppTopology(app, 'redis', 3).file);
    const nodes = topology.services.filter((s) => s.kind === 'app');
    expect(nodes.map((n) => n.name)).toEqual(['server_1', 'server_2', 'server_3']);
    expect(nodes[0]!.environment).toMatchObject({ PORT: '3000', STORE: 'redis', REDIS_URL: 'redis://redis:6379' });
    expect(nodes[0]!.app).toMatchObject({ port: 3000, ready: '/healthz', portVariables: ['PORT'], command: ['node', 'server.js'] });
    expect(topology.services.map((s) => s.kind).sort()).toEqual(['app', 'app', 'app', 'nginx', 'redis']);
  });
});

describe('the written topology', () => {
  it('hands a "$" in a variable or the command on as it is (compose would substitute it otherwise)', () => {
    const app = parseAppFile('demo.yml', minimal.replace('  command: [node, server.js]\n', '  command: [sh, -c, "exec node server.js --port $PORT"]\n  environment:\n    PASSWORD: "pa$word"\n'));
    const file = writeAppTopology(app, 'memory', 1).file;
    expect(readFileSync(file, 'utf8')).toContain('pa$$word');
    const [node] = loadTopology(file).services.filter((s) => s.kind === 'app');
    expect(node!.environment.PASSWORD).toBe('pa$word');
    expect(node!.app?.command).toEqual(['sh', '-c', 'exec node server.js --port $PORT']);
  });
});

describe('the starter file', () => {
  it('is an app file the lab reads as it is', async () => {
    const { starterAppFile } = await import('../../scenarios/check/starter.ts');
    expect(parseAppFile('lab-app.yml', starterAppFile)).toMatchObject({ name: 'my-app', cookie: 'connect.sid', stores: { memory: {}, redis: { REDIS_URL: '{redis_url}' } } });
  });

  it('has a login that reads as it is once uncommented', async () => {
    const { starterAppFile } = await import('../../scenarios/check/starter.ts');
    const [before, login, after] = starterAppFile.split(/(?=^# login:|^# expect:)/m);
    const uncommented = login!.replace(/^# ?/gm, '').replace(/^ {2}# .*\n/gm, '');
    expect(parseAppFile('lab-app.yml', before! + uncommented + after!).login).toMatchObject({ user: 'demo', request: { path: '/login' }, loggedIn: { path: '/me' }, logout: { path: '/logout' } });
  });
});
