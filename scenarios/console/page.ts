// The console's page: a shell that console.js fills from /state and keeps live from /events.
// No inline script or style, so that its Content-Security-Policy can forbid both.

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function consolePage(topology: string): string {
  const name = escapeHtml(topology);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>session-lab console: ${name}</title>
<link rel="stylesheet" href="console.css">
<link rel="icon" href="data:,">
</head>
<body>
<header>
  <h1>session-lab console <span class="topology">${name}</span></h1>
  <p>Balancer: <a id="balancer" target="_blank" rel="noopener"></a> · every request through it shows below, whoever sends it.</p>
  <p><button id="save-report" type="button">Save report</button> <span id="report-path"></span></p>
</header>
<section>
  <h2>Requests through the balancer <small>(the last minute; one lane per node)</small></h2>
  <p class="legend"><span class="mark" data-state="new"></span> new session <span class="mark" data-state="existing"></span> existing <span class="mark" data-state="lost"></span> lost <span class="mark" data-state="error"></span> error (5xx, no node) <span class="fault-key"></span> fault</p>
  <div id="lanes"></div>
</section>
<section>
  <h2>Services</h2>
  <p id="network-controls" hidden>Partition <input id="partition-groups" size="40" placeholder="server_1 | redis" aria-label="two groups of services, separated by |"> <button id="partition" type="button">partition</button> <button id="heal" type="button">heal</button></p>
  <p id="scale-controls" hidden>Fleet <button id="scale-out" type="button" data-fault="scale-out">add a node</button> <button id="scale-in" type="button" data-fault="scale-in">drain the newest node</button></p>
  <p id="fault-error" class="error" role="alert"></p>
  <div id="cards"></div>
</section>
<section>
  <h2>Sessions in the stores</h2>
  <ul id="stores"></ul>
</section>
<section>
  <h2>Devices <button id="new-device" type="button">new device</button></h2>
  <div id="devices"></div>
</section>
<script src="console.js"></script>
</body>
</html>
`;
}
