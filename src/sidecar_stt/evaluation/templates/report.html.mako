## The bake-off's report.html, rendered by sidecar_stt.evaluation.html with every ${...} HTML-escaped (Mako's "h"
## default filter). Values arrive formatted; only Markup built there from escaped parts (engine names with <wbr>)
## passes unchanged. Lines ending in a backslash continue on the next: cells of a row stay side by side.
<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>\
<meta name='viewport' content='width=device-width, initial-scale=1'>\
<title>STT bake-off</title><style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 24px auto; max-width: 1100px;
       color: #111827; background: #ffffff; padding: 0 16px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
p.meta { color: #4b5563; margin: 0 0 16px; font-size: 13px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { padding: 6px 8px; border-bottom: 1px solid #e5e7eb; text-align: right; white-space: nowrap; }
th { background: #f3f4f6; font-weight: 600; }
td.name, th.name { text-align: left; white-space: normal; overflow-wrap: break-word; }
td.best { font-weight: 700; }
b.tag { display: inline-block; min-width: 18px; margin-right: 6px; color: #374151; }
span.dot { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.card { border: 1px solid #e5e7eb; border-radius: 8px; padding: 8px; background: #fff; }
.card img { width: 100%; height: auto; display: block; }
ul.notes { color: #374151; font-size: 13px; }
details { margin-top: 12px; }
td.text { text-align: left; white-space: normal; max-width: 420px; color: #374151; }
td.ok { color: #15803d; } td.bad { color: #b91c1c; }
</style></head><body>\
<h1>STT bake-off</h1><p class='meta'>${provenance}</p>\
<p class='meta'>${meta}</p>\
<table><tr><th class='name'>engine</th><th>phone success</th><th>95 % CI</th><th>in n-best</th>\
<th>digit error rate</th><th>WER</th><th>time to final p50</th><th>RTF</th><th>audio sent</th>\
<th>transcript</th><th>failures</th><th>n</th></tr>\
% for r in summary:
<tr><td class='name'><span class='dot' style='background:${r.colour}'></span>\
% if r.tag:
<b class='tag'>${r.tag}</b>\
% endif
${r.name}</td>\
% if r.best:
<td class='best'>\
% else:
<td>\
% endif
${r.success}</td><td>${r.ci95}</td><td>${r.in_nbest}</td><td>${r.digit_error_rate}</td><td>${r.wer}</td>\
<td>${r.time_to_final}</td><td>${r.rtf}</td><td>${r.audio_sent}</td><td>${r.transcript}</td>\
<td>${r.failures}</td><td>${r.n}</td></tr>\
% endfor
</table>\
<ul class='notes'>\
<li><b>phone success</b>: the best number our parser finds in the best transcript is the expected one \
(bars, with 95 % Wilson intervals); <b>in n-best</b>: it is among the candidates of any alternative \
(◆ in the first plot).</li>\
<li><b>digit error rate</b>: edit distance between expected and found digits over expected digits; \
<b>WER</b> on normalised words against the spoken text (printed digits count as errors).</li>\
<li><b>time to final</b>: end of speech → last final for streams; decode time for recognize(). \
Fusion rows wait for their slowest member.</li>\
<li><b>audio sent</b>: seconds of audio this run passed to the engine (what a cloud engine bills); \
results read from the cache sent none, what their earlier run sent is shown as cached. \
<b>transcript</b>: seconds of transcript the results hold (the finals' spans, or the recording's speech \
span when the engine gives no times). Fusion rows add their members'.</li>\
</ul>\
<h2>Plots</h2><div class='grid'>\
% for plot in plots:
<div class="card"><img alt="${plot.alt}" src="data:image/png;base64,${plot.png_base64}"></div>\
% endfor
</div>\
<details><summary>Per recording (${len(recordings)} rows)</summary>\
<table><tr><th class='name'>recording</th><th class='name'>engine</th><th>style</th><th>SNR</th>\
<th>expected</th><th>found</th><th>digit errors</th><th>time to final</th><th>audio sent</th><th>transcript</th>\
<th class='name'>transcript</th></tr>\
% for s in recordings:
<tr><td class='name'>${s.recording_id}</td><td class='name'>${s.engine}</td><td>${s.style}</td><td>${s.snr}</td>\
<td>${s.expected}</td><td class='${s.verdict}'>${s.found}</td><td>${s.digit_errors}</td>\
<td>${s.time_to_final}</td><td>${s.audio_sent}</td><td>${s.transcript}</td><td class='text'>${s.text}</td></tr>\
% endfor
</table></details>\
</body></html>
