// The status page's eta templates, kept as strings in a module so the build needs no asset copying.
// Only `<%= %>` (escaped) is used for data; `<%~ %>` (raw) only for the STYLE constant below.

export const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #1d2330; background: #fafbfc; }
h1 { font-size: 1.4em; margin: 0 0 .2em; }
h2 { font-size: 1.1em; margin: 1.6em 0 .4em; border-bottom: 1px solid #d0d7de; padding-bottom: .2em; }
.meta { color: #57606a; font-size: .9em; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border: 1px solid #d0d7de; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #eef1f4; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.reason { max-width: 48em; word-break: break-word; }
.ok { color: #1a7f37; font-weight: 600; }
.bad { color: #cf222e; font-weight: 600; }
.warn { color: #9a6700; font-weight: 600; }
.empty { color: #57606a; font-style: italic; }
.problems { background: #fff8c5; border: 1px solid #d4a72c; padding: .5em 1em; }
ul.plain { margin: 0; padding-left: 1.1em; }
`;

export const PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="<%= it.refreshSeconds %>">
<title>evtrigger status</title>
<style><%~ it.style %></style>
</head>
<body>
<h1>evtrigger status</h1>
<p class="meta">Generated <%= it.data.generatedAt %> by the applier; refreshes every <%= it.refreshSeconds %> s.
Dead letters in EVT_DLQ: <%= it.data.deadLetterTotal %>.</p>
<% if (it.data.problems.length) { %>
<div class="problems" id="problems"><strong>Some sources could not be read:</strong>
<ul class="plain"><% for (const p of it.data.problems) { %><li><%= p %></li><% } %></ul></div>
<% } %>

<h2>Clusters</h2>
<table id="clusters">
<thead><tr><th>Cluster</th><th>Labels</th><th>Kubeconfig</th><th>NATS (gateway)</th><th>Connections</th><th>Reported by</th></tr></thead>
<tbody>
<% for (const c of it.data.clusters) { %>
<tr>
<td><%= c.key %></td>
<td><%= c.labels %></td>
<td class="<%= c.kubeconfig === 'ok' ? 'ok' : 'bad' %>"><%= c.kubeconfig %></td>
<td class="<%= c.stale ? 'warn' : c.natsState === 'active' ? 'ok' : 'bad' %>"><%= c.natsState %><%= c.stale ? ' (stale)' : '' %>
<% if (c.problems.length) { %><ul class="plain"><% for (const p of c.problems) { %><li><%= p %></li><% } %></ul><% } %></td>
<td><% if (c.connections.length) { %><ul class="plain"><% for (const x of c.connections) { %><li><%= x %></li><% } %></ul><% } else { %><span class="empty">none</span><% } %></td>
<td><%= c.reportedBy %></td>
</tr>
<% } %>
<% if (!it.data.clusters.length) { %><tr><td colspan="6" class="empty">No clusters.</td></tr><% } %>
</tbody>
</table>

<h2>EventTriggers</h2>
<table id="triggers">
<thead><tr><th>EventTrigger</th><th>EventSource</th><th>Sync mode</th><th>Recent matches</th><th>Deployed objects</th><th>Dead letters</th><th>Last error</th></tr></thead>
<tbody>
<% for (const t of it.data.triggers) { %>
<tr>
<td><%= t.name %></td>
<td><%= t.eventSource %></td>
<td><%= t.syncMode %></td>
<td class="num"><%= t.matches %></td>
<td class="num"><%= t.deployed %></td>
<td class="num"><%= t.deadLetters %></td>
<td class="reason"><% if (t.lastError) { %><span class="bad"><%= t.lastError %></span><% if (t.lastErrorAt) { %> <span class="meta">(<%= t.lastErrorAt %>)</span><% } %><% if (t.lastErrorReplayed) { %> <span class="warn"><%= t.lastErrorReplayed %></span><% } %><% } else { %><span class="ok">none</span><% } %></td>
</tr>
<% } %>
<% if (!it.data.triggers.length) { %><tr><td colspan="7" class="empty">No EventTriggers.</td></tr><% } %>
</tbody>
</table>

<h2>Deployed addons</h2>
<table id="addons">
<thead><tr><th>Cluster</th><th>Resource type</th><th>Namespace</th><th>Name</th><th>Time</th><th>EventTrigger</th><th>Event</th></tr></thead>
<tbody>
<% for (const a of it.data.addons) { %>
<tr>
<td><%= a.cluster %></td>
<td><%= a.resourceType %></td>
<td><%= a.namespace %></td>
<td><%= a.name %></td>
<td><%= a.time %></td>
<td><%= a.eventTrigger %></td>
<td><%= a.event.source %> <%= a.event.subject %></td>
</tr>
<% } %>
<% if (!it.data.addons.length) { %><tr><td colspan="7" class="empty">Nothing deployed.</td></tr><% } %>
</tbody>
</table>

<h2>Recent events and matches</h2>
<table id="events">
<thead><tr><th>Matched</th><th>Cluster</th><th>EventSource</th><th>Seq</th><th>Type</th><th>Source</th><th>Subject</th><th>Id</th><th>EventTriggers</th></tr></thead>
<tbody>
<% for (const e of it.data.events) { %>
<tr>
<td><%= e.matchedAt %></td>
<td><%= e.cluster %></td>
<td><%= e.eventSource %></td>
<td class="num"><%= e.seq %></td>
<td><%= e.type %></td>
<td><%= e.source %></td>
<td><%= e.subject %></td>
<td><%= e.id %></td>
<td><%= e.triggers %></td>
</tr>
<% } %>
<% if (!it.data.events.length) { %><tr><td colspan="9" class="empty">No matched events recorded.</td></tr><% } %>
</tbody>
</table>

<h2>Dead letters</h2>
<table id="dead-letters">
<thead><tr><th>Seq</th><th>At</th><th>Stage</th><th>Code</th><th>Cluster</th><th>Object</th><th>Reason</th><th>Replayed</th></tr></thead>
<tbody>
<% for (const d of it.data.deadLetters) { %>
<tr>
<td class="num"><%= d.seq %></td>
<td><%= d.at %></td>
<td><%= d.stage %></td>
<td><%= d.code %></td>
<td><%= d.cluster %></td>
<td><%= d.object %></td>
<td class="reason"><%= d.reason %></td>
<td><%= d.replayed || "no" %></td>
</tr>
<% } %>
<% if (!it.data.deadLetters.length) { %><tr><td colspan="8" class="empty">No dead letters.</td></tr><% } %>
</tbody>
</table>
<p class="meta">Re-drive a dead letter after fixing its cause: <code>evtctl dlq replay SEQ</code>.</p>
</body>
</html>
`;
