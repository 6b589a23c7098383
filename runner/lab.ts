// What a scenario's script works with, whatever the workload: HTTP clients whose requests are
// recorded, faults that record themselves, direct probes of a node, and deliberate waits.
// Everything lands in the history. A workload builds its devices and their verbs on send().
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningTopology } from './backend.ts';
import { faults, type FaultName } from './faults/index.ts';
import { missingCapability } from './faults/missing-capability.ts';
import { enginePrincipals, type History, type Op, type OpInput, type OpType } from './history.ts';
import { untilBalancerReaches } from './balancer-reach.ts';
import { Device, type Answer, type DeviceOptions } from './http-client.ts';

/** The faults whose target is one service (recorded as args.service); the others record args.target. */
const serviceFaults = new Set<FaultName>(['restart', 'kill', 'stop', 'start', 'pause', 'resume', 'isolate']);

/** Why a request got no answer, in one line. */
function describeRequestError(err: unknown): string {
  return err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
}

/**
 * How a request's result counts: see OpType. A redirect is an answer the app chose (a form's 303
 * confirms what it posted). Reads have no effect, so a failed read is a plain fail.
 */
export function classify(isWrite: boolean, status: number | undefined): OpType {
  if (status !== undefined && status >= 200 && status < 400) return 'ok';
  if (status !== undefined && status >= 400 && status < 500) return 'fail';
  // No answer, or a 5xx: the node (or nginx) may have applied a write before failing.
  return isWrite ? 'info' : 'fail';
}

export interface RequestSpec {
  /** The workload's name for what the request does. */
  action: string;
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** A few words on the body for reports ("apple×2"); the body itself is not recorded. */
  detail?: string;
  /** What the checker needs to know of the request (the sku added, the user logging in). */
  args?: Record<string, unknown>;
  /** Keep a successful answer's body in the op's value (failed answers are always kept). */
  keepBody?: boolean;
}

export interface Sent<O extends Op> {
  op: O;
  answer: Answer | undefined;
}

/** Reads an answer (or its absence) into the workload's own fields of the op. */
export type Observe<O extends Op> = (answer: Answer | undefined) => Partial<OpInput<O>>;

export class Lab {
  private readonly clients: Device[] = [];

  constructor(
    readonly running: RunningTopology,
    readonly history: History,
  ) {}

  /** An HTTP client of the balancer with its own cookie jar (and, optionally, its own loopback source address). */
  client(name: string, options: DeviceOptions = {}): Device {
    const client = new Device(name, this.running.balancerUrl, options);
    this.clients.push(client);
    return client;
  }

  /** Sends one request from client and records it, with the workload's reading of the answer. */
  async send<O extends Op>(client: Device, spec: RequestSpec, observe: Observe<O> = () => ({})): Promise<Sent<O>> {
    const startedMs = this.history.now();
    let answer: Answer | undefined;
    let error: string | undefined;
    try {
      answer = await client.send(spec.method, spec.path, spec.body, spec.headers);
    } catch (err) {
      error = describeRequestError(err);
    }
    const op = this.recordAnswer(client, spec, startedMs, this.history.now(), answer, error, observe);
    return { op, answer };
  }

  /**
   * Sends one request and follows its redirect as soon as the headers arrive, as a browser does
   * (Device.sendFollowingRedirect); records both. The first op ends when its headers came (what
   * the browser acted on), with bodyLagMs: how much later its body ended.
   */
  async sendFollowingRedirect<O extends Op>(client: Device, spec: RequestSpec, followAction: string, observe: Observe<O> = () => ({})): Promise<[O, O | undefined]> {
    const startedMs = this.history.now();
    try {
      const { first, headersAtMs, bodyEndedAtMs, followed } = await client.sendFollowingRedirect(spec.method, spec.path, spec.body, spec.headers);
      const headersMs = this.history.at(headersAtMs);
      const bodyLagMs = Math.round((bodyEndedAtMs - headersAtMs) * 10) / 10;
      const firstOp = this.recordAnswer(client, spec, startedMs, headersMs, first, undefined, (answer) => ({ bodyLagMs, ...observe(answer) }) as Partial<OpInput<O>>);
      if (!followed) return [firstOp, undefined];
      const location = String(first.headers.location);
      const [answer, error] = 'error' in followed.answer ? [undefined, describeRequestError(followed.answer.error)] : [followed.answer, undefined];
      const followedOp = this.recordAnswer(client, { action: followAction, method: 'GET', path: location }, headersMs, this.history.at(followed.endedAtMs), answer, error, observe);
      return [firstOp, followedOp];
    } catch (err) {
      return [this.recordAnswer(client, spec, startedMs, this.history.now(), undefined, describeRequestError(err), observe), undefined];
    }
  }

  private recordAnswer<O extends Op>(client: Device, spec: RequestSpec, startedMs: number, endedMs: number, answer: Answer | undefined, error: string | undefined, observe: Observe<O>): O {
    const succeeded = answer !== undefined && classify(false, answer.status) === 'ok';
    return this.history.record<O>({
      process: client.name,
      action: spec.action,
      ...(spec.args ? { args: spec.args } : {}),
      type: classify(spec.method !== 'GET', answer?.status),
      startedMs,
      endedMs,
      request: [spec.method, spec.path, spec.detail].filter(Boolean).join(' '),
      status: answer?.status,
      servedBy: answer?.servedBy,
      sessionState: answer?.sessionState,
      ...(error ? { error } : {}),
      ...(answer && (!succeeded || spec.keepBody) ? { value: answer.body } : {}),
      ...observe(answer),
    } as OpInput<O>);
  }

  /** Records an op the workload made up itself (e.g. a summary of many requests). */
  record<O extends Op>(input: OpInput<O>): O {
    return this.history.record(input);
  }

  /** Runs something done to a service and records it as the nemesis: ok, or info with its error (then rethrown). */
  private async asNemesis(action: string, args: Record<string, unknown>, request: string, work: () => Promise<void>): Promise<Op> {
    const base = { process: enginePrincipals.nemesis, action, args, request, startedMs: this.history.now() };
    try {
      await work();
    } catch (err) {
      this.history.record({ ...base, type: 'info', endedMs: this.history.now(), error: String(err) });
      throw err;
    }
    return this.history.record({ ...base, type: 'ok', endedMs: this.history.now() });
  }

  /**
   * Injects a fault and records it. target is the service for most faults, the two groups for
   * partition (`a b | c`), the service and seconds for skew (`server_2 +600`), nothing for heal.
   */
  fault(name: FaultName, target = ''): Promise<Op> {
    const args = serviceFaults.has(name) ? { service: target } : { target };
    return this.asNemesis(name, args, [name, target].filter(Boolean).join(' '), () => faults[name](this.running, target));
  }

  /**
   * Redeploys a service with some variables changed (a rolling configuration change); recorded as
   * a fault, naming the variables but not their values (secrets among them).
   */
  redeploy(service: string, environment: Record<string, string>): Promise<Op> {
    const changed = Object.keys(environment);
    return this.asNemesis('redeploy', { service, changed }, `redeploy ${service} (${changed.join(', ')})`, async () => {
      const control = this.running.service(service);
      if (!control.restartWith) throw missingCapability('redeploy', service);
      await control.restartWith(environment);
    });
  }

  /**
   * A GET straight to one node, bypassing the balancer and any cookie; the label names it for the
   * checker, and summarize turns its body into words for the report.
   */
  async probe(service: string, path: string, label: string, summarize?: (body: unknown) => string): Promise<Op> {
    const startedMs = this.history.now();
    const answer = await this.running.probe(service, path);
    return this.history.record({
      process: enginePrincipals.probe,
      action: 'probe',
      args: { service, path, label },
      type: classify(false, answer.status),
      startedMs,
      endedMs: this.history.now(),
      request: `${label}: GET ${service}${path}`,
      status: answer.status,
      servedBy: answer.servedBy,
      ...(summarize ? { seen: summarize(answer.body) } : {}),
      value: answer.body,
    });
  }

  /** Waiting on purpose (a TTL to pass), never for readiness; recorded, since checkers may need to know when. */
  async wait(ms: number, why: string): Promise<Op> {
    const startedMs = this.history.now();
    await sleep(ms);
    return this.history.record({ process: enginePrincipals.lab, action: 'wait', args: { ms, why }, type: 'ok', startedMs, endedMs: this.history.now(), request: why });
  }

  /**
   * Waits until the balancer sends requests to each of these nodes again (see balancer-reach.ts),
   * for at most maxMs; recorded as one op of the lab, ok when every node answered, fail (and the
   * scenario goes on, for its checker to judge) when one never did.
   */
  async untilBalancerReaches(nodes: readonly string[], path?: string, maxMs = 15_000): Promise<Op> {
    const startedMs = this.history.now();
    const { reached, requests } = await untilBalancerReaches(this.running, nodes, enginePrincipals.lab, path, maxMs);
    const missing = nodes.filter((node) => !reached.has(node));
    const request = `until the balancer reaches ${nodes.join(', ')}`;
    return this.history.record({
      process: enginePrincipals.lab,
      action: 'balancer-reaches',
      args: { nodes, requests, maxMs },
      type: missing.length === 0 ? 'ok' : 'fail',
      startedMs,
      endedMs: this.history.now(),
      request,
      ...(missing.length > 0 ? { error: `${missing.join(', ')} never answered through the balancer in ${maxMs} ms` } : {}),
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((d) => d.close()));
  }
}
