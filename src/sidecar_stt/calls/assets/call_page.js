// The call page's player: draws the waveform, plays a span of the caller audio when a turn, a transcript or a
// mark is clicked (stopping at the span's end), and moves the playhead. No network, no libraries.
(function () {
  "use strict";
  const wave = document.getElementById("wave");
  const audio = document.getElementById("audio");
  const playhead = document.getElementById("playhead");
  const clock = document.getElementById("clock");
  const duration = Number(wave.dataset.duration) || 0;
  const peaks = JSON.parse(document.getElementById("peaks").textContent);
  let stopAt = null;

  function draw() {
    const canvas = wave.querySelector("canvas");
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round(wave.clientWidth * ratio));
    canvas.height = Math.max(1, Math.round(wave.clientHeight * ratio));
    const ctx = canvas.getContext("2d");
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = "#475569";
    const mid = canvas.height / 2;
    const step = canvas.width / Math.max(1, peaks.length);
    for (let i = 0; i < peaks.length; i++) {
      const h = Math.max(1, peaks[i] * (canvas.height * 0.46));
      ctx.fillRect(i * step, mid - h, Math.max(1, step * 0.8), 2 * h);
    }
  }

  function markPlaying(start, end) {
    document.querySelectorAll(".playing").forEach((el) => el.classList.remove("playing"));
    document.querySelectorAll("[data-start]").forEach((el) => {
      if (el.classList.contains("turn") || el.classList.contains("turn-span")) {
        if (Number(el.dataset.start) === start && Number(el.dataset.end) === end) el.classList.add("playing");
      }
    });
  }

  function playSpan(start, end) {
    document.body.dataset.span = start.toFixed(3) + "-" + end.toFixed(3);
    markPlaying(start, end);
    if (!audio) return Promise.resolve();
    stopAt = end;
    audio.currentTime = start;
    return audio.play().catch(function (err) {
      document.body.dataset.playError = String(err && err.name);
    });
  }

  function tick() {
    const t = audio ? audio.currentTime : 0;
    if (audio && stopAt !== null && t >= stopAt) {
      audio.pause();
      stopAt = null;
    }
    if (duration > 0) playhead.style.left = Math.min(100, (100 * t) / duration) + "%";
    clock.textContent = t.toFixed(2) + " s";
    window.requestAnimationFrame(tick);
  }

  document.addEventListener("click", function (ev) {
    const target = ev.target.closest("[data-start][data-end]");
    if (!target) return;
    ev.preventDefault();
    playSpan(Number(target.dataset.start), Number(target.dataset.end));
  });

  const play = document.getElementById("play");
  if (play && audio) {
    play.addEventListener("click", function () {
      stopAt = null;
      if (audio.paused) audio.play(); else audio.pause();
    });
  }
  wave.addEventListener("dblclick", function (ev) {
    if (!audio || duration <= 0) return;
    const box = wave.getBoundingClientRect();
    stopAt = null;
    audio.currentTime = (duration * (ev.clientX - box.left)) / box.width;
    audio.play();
  });

  window.sidecarCallPage = { playSpan: playSpan, audio: audio };
  window.addEventListener("resize", draw);
  draw();
  window.requestAnimationFrame(tick);
})();
