## The timeline page of one call. Rendered by call_page.py with every ${...} HTML-escaped (default filter h);
## only the page's own CSS, JS and the waveform's numbers are inserted raw (| n). Data: a CallView.
<%!
    VERDICT_SYMBOL = {"right": "✓", "wrong": "✗", "unknown": ""}
    VERDICT_TITLE = {
        "right": "the confirmed number",
        "wrong": "not the confirmed number",
        "unknown": "no confirmed number",
    }
    LEGEND = (
        ("turn", "caller turn (click to play)"),
        ("model", "the realtime model's speech start to stop"),
        ("unheard", "speech the realtime model did not report"),
        ("post", "post-call segment"),
        ("proposed", "proposed"),
        ("rejected", "rejected"),
        ("confirmed", "confirmed"),
        ("refused", "step refused"),
        ("failed", "capture failed"),
        ("engine_failed", "engine failed"),
        ("tool", "tool call"),
    )
%>\
<%def name="span(start_s, end_s)">data-start="${"%.3f" % start_s}" data-end="${"%.3f" % end_s}"</%def>\
<%def name="place(start_s, end_s, min_pct=0.0)">left:${"%.3f" % pct(start_s)}%;width:${"%.3f" % max(min_pct, pct(end_s) - pct(start_s))}%</%def>\
<%def name="number(n)">\
<span class="number ${n.correct}" title="${VERDICT_TITLE[n.correct]}" data-number="${n.text}">\
<span class="digits pd">\
% for i, g in enumerate(n.groups):
<span class="pair${" differs" if i in n.differing else ""}">${g}</span>\
% endfor
</span><span class="verdict">${VERDICT_SYMBOL[n.correct]}</span></span>\
</%def>\
<%def name="numbers(ns, label='yields')">\
% if ns:
<div class="yields">${label}: \
% for n in ns:
${number(n)}\
% endfor
</div>\
% else:
<div class="yields muted">${label}: no number</div>\
% endif
</%def>\
<%def name="segment_list(segment)">\
<span class="seg-time">${"%.2f" % segment.start_s}–${"%.2f" % segment.end_s} s</span><ol class="nbest">\
% for text, confidence, ns in segment.nbest:
<li><span class="transcript pd" ${span(segment.start_s, segment.end_s)}>${text}</span>\
% if confidence is not None:
<span class="conf">${"%.2f" % confidence}</span>\
% endif
% for n in ns:
${number(n)}\
% endfor
</li>\
% endfor
</ol>\
</%def>\
<%def name="source(s)">\
<div class="source ${s.kind}${"" if s.heard else " silent"}" data-source="${s.source}"><h4>${s.source}</h4>\
% if not s.heard:
<p class="muted">heard nothing</p></div>\
% else:
% if s.kind == "realtime":
<p class="transcript pd" ${span(s.segments[0].start_s, s.segments[0].end_s)}>${s.segments[0].nbest[0][0]}</p>\
% else:
% for seg in s.segments:
${segment_list(seg)}\
% endfor
% endif
${numbers(s.numbers)}</div>\
% endif
</%def>\
<%def name="mark_item(m)">\
<li class="mark-item" data-kind="${m.kind}" ${span(m.at_s, m.at_s + 3.0)}>\
<span class="t">${"%6.2f" % m.at_s} s</span><span class="m-label k-${m.kind}">${m.label}</span>\
% if m.detail:
<span class="pd">${m.detail}</span> \
% endif
% if m.facts:
<span class="muted">${m.facts}</span>\
% endif
</li>\
</%def>\
<%def name="turn(t)">\
<% begin, end = t.owned %>\
<article class="card turn" id="${t.turn_id}" data-turn="${t.turn_id}" ${span(begin, end)}>\
<h3><button class="play-turn" ${span(begin, end)} title="play this turn">▶</button>\
Turn ${t.index + 1} <span class="t">${"%.2f" % t.start_s}–${"%.2f" % t.end_s} s \
(plays ${"%.2f" % begin}–${"%.2f" % end} s)</span></h3>
<div class="sources" style="--columns: ${columns}">\
% for s in t.sources:
${source(s)}\
% endfor
</div>
% if t.agent_lines:
<div class="agent"><h4>agent</h4>\
% for line in t.agent_lines:
<p class="pd">${line}</p>\
% endfor
</div>
% endif
% if t.tool_calls:
<div class="tools"><h4>tool calls</h4>\
% for c in t.tool_calls:
<div class="tool${" error" if c.is_error else ""}"><b>${c.name}</b>(<span class="pd">${c.arguments}</span>) \
<span class="t">at ${"%.2f" % c.at_s} s</span>
→ <span class="pd tool-output">${c.output}</span></div>\
% endfor
</div>
% endif
<% marks = [m for m in t.marks if m.kind not in ("tool", "tool_error")] %>\
% if marks:
<ul class="turn-marks">\
% for m in marks:
${mark_item(m)}\
% endfor
</ul>
% endif
</article>
</%def>\
<%def name="post_call(run)">\
<% verdict = run.verdict or run.status %>\
<div class="card post-call${" alert" if run.verdict in ("disagrees", "not_in_recording", "recovered") else ""}" \
data-verdict="${verdict}"><h3>${run.engine_spec} <span class="t">[${run.mode}]</span>\
<span class="badge ${verdict}">${verdict}</span></h3>
% if run.reason:
<p>${run.reason}</p>
% endif
% if run.error:
<p class="muted">${run.error}</p>
% endif
<div class="compare">\
% if run.live is not None:
<span>confirmed live</span><span>${number(run.live)}</span>\
% endif
<span>post-call transcript</span><span>\
% if run.found:
${number(run.found)}\
% else:
no number\
% endif
</span>\
% if len(run.numbers) > 1:
<span>all numbers in it</span><span>\
% for n in run.numbers:
${number(n)}\
% endfor
</span>\
% endif
% if run.audio_sent_s is not None:
<span>cost</span><span class="costs">${run_costs(run.audio_sent_s, run.transcript_s)}</span>\
% endif
</div>
% if run.segments:
<ul class="events">\
% for s in run.segments:
<li ${span(s.start_s, s.end_s)}><span class="t">${"%6.2f" % s.start_s}–${"%6.2f" % s.end_s} s</span>\
<span class="transcript pd">${s.nbest[0][0] if s.nbest else ""}</span></li>\
% endfor
</ul>
% endif
</div>
</%def>\
<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="generator" content="sidecar-stt call page"><meta name="sidecar-call" content="${view.call_id}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Call ${view.call_id}</title><style>${css | n}</style></head>
<body data-call="${view.call_id}" data-redacted="${"true" if view.redacted else "false"}">
<header><h1>Call ${view.call_id}</h1>
<p class="meta">${started} · ${"%.1f" % view.audio_s} s of caller audio · ${len(view.turns)} caller turns · \
sidecar engines: ${", ".join(view.engines) or "none"}</p>
<p class="meta costs">live engines: ${live_costs(view.costs)}</p>
<div class="badges"><span class="badge ${view.live_outcome}">live capture: ${view.live_outcome}\
% if view.confirmed is not None:
 ${number(view.confirmed)}\
% endif
</span>\
% for run in view.post_call:
% if run.verdict is not None:
<span class="badge ${run.verdict}">post-call: ${run.verdict}</span>\
% endif
% endfor
% if view.needs_review:
<span class="badge review">needs review: ${view.review_reason or ""}</span>\
% endif
% if not view.complete:
<span class="badge cut">recording cut short</span>\
% endif
% if view.redacted:
<span class="badge redacted">redacted: transcripts, numbers and audio hidden</span>\
% endif
</div>
% if view.greeting:
<div class="agent"><h4>agent, before the first turn</h4>\
% for line in view.greeting:
<p class="pd">${line}</p>\
% endfor
</div>
% endif
</header>
<section id="timeline"><h2>Timeline</h2>
<div class="player">\
% if audio_src:
<audio id="audio" preload="auto" src="${audio_src}"></audio><button id="play" title="play or pause the whole call">▶ ❚❚</button>\
% elif view.redacted:
<span class="muted">audio left out (redacted page)</span>\
% else:
<span class="muted">no recording of the caller audio</span>\
% endif
<span class="clock" id="clock">0.00 s</span><span class="muted">of ${"%.2f" % view.audio_s} s</span></div>
<div class="timeline"><div class="wave" id="wave" data-duration="${"%.3f" % view.audio_s}"><canvas></canvas>
% for t in view.turns:
<div class="span turn-span" data-turn="${t.turn_id}" ${span(*t.owned)} style="${place(*t.owned)}" \
title="turn ${t.index + 1}: ${"%.2f" % t.owned[0]}–${"%.2f" % t.owned[1]} s"><span class="label">${t.index + 1}</span></div>
% endfor
% for t in view.turns:
<div class="model-span" style="${place(t.start_s, t.end_s, 0.3)}" \
title="the realtime model heard turn ${t.index + 1} from ${"%.2f" % t.start_s} to ${"%.2f" % t.end_s} s"></div>
% endfor
% for s in view.unheard:
<div class="span unheard-span" ${span(s.start_s, s.end_s)} style="${place(s.start_s, s.end_s, 0.3)}" \
title="${s.source} heard speech the realtime model did not report"></div>
% endfor
<div class="playhead" id="playhead"></div></div>
<div class="lane marks" style="height:${lane_px}px">\
% for m, row in flags:
<div class="flag k-${m.kind}" data-kind="${m.kind}" ${span(m.at_s, m.at_s + 3.0)} \
style="left:${"%.3f" % pct(m.at_s)}%;top:${3 + 22 * row}px" title="${m.label} at ${"%.2f" % m.at_s} s">\
${mark_symbol[m.kind]}</div>\
% endfor
</div>
% for run in view.post_call:
% if run.segments:
<div class="lane post"><span class="lane-name">post-call ${run.engine_spec}</span>\
% for s in run.segments:
<div class="seg" ${span(s.start_s, s.end_s)} style="${place(s.start_s, s.end_s, 0.3)}" title="post-call segment"></div>\
% endfor
</div>
% endif
% endfor
<div class="axis">\
% for tick in ticks:
<span style="left:${"%.3f" % pct(tick)}%">${"%g" % tick} s</span>\
% endfor
</div></div>
<div class="legend">\
% for kind, label in LEGEND:
<span><i class="k-${kind}"></i>${label}</span>\
% endfor
</div>
<script type="application/json" id="peaks">${peaks_json | n}</script></section>
% if view.post_call:
<section id="post-call"><h2>After the call</h2>
% for run in view.post_call:
${post_call(run)}\
% endfor
</section>
% endif
<section id="turns"><h2>Caller turns (${len(view.turns)})</h2>
% for t in view.turns:
${turn(t)}\
% endfor
</section>
% if view.unheard:
<section id="unheard"><h2>Speech the realtime model did not report</h2><div class="card">
% for s in view.unheard:
<div class="source engine">${segment_list(s)}</div>
% endfor
</div></section>
% endif
<section id="events"><h2>Events</h2><ul class="events">
% for m in view.marks:
${mark_item(m)}
% endfor
</ul></section>
<script>${js | n}</script></body></html>
