// nginx's access log line (log_format session_lab in nginx/nginx.conf.template) as one request
// through the balancer: who sent it, what, the status, which node(s) nginx tried and which one
// answered, with what session state. The console draws a mark for each.

export interface BalancedRequest {
  client: string;
  /** The lab device that sent it (its X-Lab-Device header), or undefined for any other client. */
  device: string | undefined;
  method: string;
  path: string;
  status: number;
  /** The node that answered (X-Served-By), or undefined when none did (nginx answered itself). */
  node: string | undefined;
  /** X-Session-State of the answer: new, existing, lost, unknown; undefined when there was none. */
  session: string | undefined;
  /** How many upstreams nginx tried (more than one: it passed the request on). */
  upstreamTries: number;
  seconds: number;
}

const pattern = /^(\S+) "(\S+) (\S+)[^"]*" (\d{3}) upstream=(.*?) served_by=(\S*) session=(\S*) device="([^"]*)" rt=([\d.]+)\s*$/;

/** The request a line of the access log describes, or undefined for any other line nginx writes. */
export function parseAccessLine(line: string): BalancedRequest | undefined {
  const match = pattern.exec(line.trim());
  if (!match) return undefined;
  const [, client, method, path, status, upstream, servedBy, session, device, seconds] = match;
  const known = (value: string | undefined) => (value && value !== '-' ? value : undefined);
  return {
    client: client!,
    device: known(device),
    method: method!,
    path: path!,
    status: Number(status),
    node: known(servedBy),
    session: known(session),
    upstreamTries: known(upstream) ? upstream!.split(',').length : 0,
    seconds: Number(seconds),
  };
}

/** The colour class of a mark, as in the HTML report: an error, else the session state. */
export function markState(request: BalancedRequest): 'new' | 'existing' | 'lost' | 'error' {
  if (request.status >= 500 || request.node === undefined) return 'error';
  if (request.session === 'new' || request.session === 'existing' || request.session === 'lost') return request.session;
  return 'error';
}
