import { describe, expect, it } from 'vitest';
import { enginePrincipals } from '../../../runner/history.ts';
import { shopActions } from '../../../scenarios/shop/actions.ts';
import { probeRunDevices, probeSessionsVerdict, sessionCounts } from '../../../scenarios/shop/checkers/probe-sessions.ts';
import { add, history, viewCart, type OpSketch } from '../../support/histories.ts';

const count = (label: string, sessions: number): OpSketch => ({ process: enginePrincipals.probe, action: 'probe', args: { label }, value: { sessions } });
const probe = (device: string, path: string, setsCookie: boolean): OpSketch => ({ process: device, action: shopActions.getPath, args: { path }, sessionState: 'new', ...(setsCookie ? { cookieBytes: 120 } : {}) });
const pings = (n: number, setsCookie: boolean) => Array.from({ length: n }, () => probe(probeRunDevices.pinger, '/', setsCookie));
const checks = (n: number) => Array.from({ length: n }, () => probe(probeRunDevices.healthCheck, '/healthz', false));
const user = (sku: string, kept = true): OpSketch[] => [add(sku, 'server_1', [[sku, 1]], { process: `user-${sku}`, args: { sku, qty: 1 } }), viewCart('server_2', kept ? [[sku, 1]] : [], { process: `user-${sku}`, sessionState: kept ? 'existing' : 'new' })];

function run(pingSessions: number, { setsCookie = true, healthCheckSessions = 0, kept = true } = {}) {
  return history(
    count(sessionCounts.before, 10),
    ...user('a', kept),
    ...user('b'),
    count(sessionCounts.afterUsers, 12),
    ...checks(4),
    count(sessionCounts.afterHealthChecks, 12 + healthCheckSessions),
    ...pings(4, setsCookie),
    count(sessionCounts.afterPingers, 12 + healthCheckSessions + pingSessions),
  );
}

describe('probeSessionsVerdict', () => {
  describe('when every ping left a session', () => {
    const ops = run(4);
    it('says store-flooded', () => expect(probeSessionsVerdict(ops).observed).toBe('store-flooded'));
    it('counts per ping and per hour', () =>
      expect(probeSessionsVerdict(ops).metrics).toMatchObject({ userSessions: 2, healthCheckSessions: 0, pings: 4, pingSessions: 4, sessionsPerPing: 1, perHourAtOnePingPer10s: 360, perHourAtOnePingPerSecond: 3600 }));
    it('names the first ping answered with a session cookie', () => expect(probeSessionsVerdict(ops).firstBad).toMatchObject({ index: 11, process: probeRunDevices.pinger }));
  });

  it('says no-probe-sessions when neither pings nor health checks left one and users kept their carts', () => {
    expect(probeSessionsVerdict(run(0, { setsCookie: false })).observed).toBe('no-probe-sessions');
  });

  it('counts sessions left by health checks as a flood too', () => {
    expect(probeSessionsVerdict(run(0, { setsCookie: false, healthCheckSessions: 4 })).observed).toBe('store-flooded');
  });

  it('says users-lost-carts when a user’s next read misses its add, naming that read', () => {
    const verdict = probeSessionsVerdict(run(0, { setsCookie: false, kept: false }));
    expect(verdict.observed).toBe('users-lost-carts');
    expect(verdict.firstBad).toMatchObject({ index: 2, process: 'user-a' });
  });

  it('is inconclusive without every count or without pings', () => {
    expect(probeSessionsVerdict(run(4).filter((op) => op.args?.label !== sessionCounts.afterPingers)).observed).toBe('inconclusive');
    expect(probeSessionsVerdict(run(0).filter((op) => op.process !== probeRunDevices.pinger)).observed).toBe('inconclusive');
  });
});
