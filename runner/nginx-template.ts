// Renders nginx/nginx.conf.template the way the official nginx image does at start-up:
// `envsubst "${A} ${B} …"` over the variables defined in the container's environment. Only those
// names are replaced, in both $NAME and ${NAME} forms; anything else that looks like a variable
// ($remote_addr, $cookie_lab_sid) is nginx's own and stays as it is.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './topology.ts';

export const nginxTemplatePath = join(projectRoot, 'nginx', 'nginx.conf.template');

export function renderTemplate(template: string, environment: Record<string, string>): string {
  return template.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, braced?: string, bare?: string) => {
    const name = (braced ?? bare)!;
    return Object.hasOwn(environment, name) ? environment[name]! : match;
  });
}

export function renderNginxTemplate(environment: Record<string, string>, templatePath = nginxTemplatePath): string {
  return renderTemplate(readFileSync(templatePath, 'utf8'), environment);
}
