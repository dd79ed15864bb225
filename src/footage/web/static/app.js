// footage review pages: a little plain JavaScript, no build step. Every page works without it;
// this adds click-to-zoom on the timeline, box overlays on the moment video, live job progress,
// share links made from the moment page, live cameras' badges kept fresh, and stars set in place.
"use strict";

function setUpStrip(strip) {
  // A click on the strip (not on a moment mark) zooms in around the time clicked.
  strip.addEventListener("click", (event) => {
    if (event.target.closest("a") || !strip.dataset.zoom) return;
    const box = strip.getBoundingClientRect();
    const fraction = Math.min(Math.max((event.clientX - box.left) / box.width, 0), 1);
    const start = new Date(strip.dataset.start);
    const clicked = new Date(start.getTime() + fraction * Number(strip.dataset.span) * 1000);
    const url = new URL(strip.dataset.zoom, window.location.href);
    // the page's times are local to the server's zone: move by the offset the page gave
    const offset = strip.dataset.start.slice(-6);
    const local = new Date(clicked.getTime() + zoneMinutes(offset) * 60000);
    url.searchParams.set("at", local.toISOString().slice(11, 19));
    window.location.href = url.toString();
  });
}

function zoneMinutes(offset) {
  // "+01:00" -> 60; "Z" or anything else -> 0
  const match = /([+-])(\d\d):(\d\d)$/.exec(offset);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === "-" ? -minutes : minutes;
}

function boxAt(boxes, seconds) {
  // The box at a media time, interpolated between the sampled frames either side (within 1.5 s).
  let before = null, after = null;
  for (const box of boxes) {
    if (box[0] <= seconds) before = box;
    else { after = box; break; }
  }
  if (before && after && after[0] - before[0] <= 1.5) {
    const f = (seconds - before[0]) / (after[0] - before[0]);
    return before.map((v, i) => v + (after[i] - v) * f);
  }
  if (before && seconds - before[0] <= 0.5) return before;
  if (after && after[0] - seconds <= 0.5) return after;
  return null;
}

// the bones of a skeleton: pairs of indices into the 17 keypoints (footage.types.KEYPOINTS)
const BONES = [[5, 6], [5, 7], [7, 9], [6, 8], [8, 10], [5, 11], [6, 12], [11, 12], [11, 13], [13, 15], [12, 14],
  [14, 16], [0, 5], [0, 6]];

function poseAt(poses, seconds) {
  // The pose looked at nearest a media time, within 0.6 s (poses are a second or two apart).
  let best = null;
  for (const pose of poses) {
    if (Math.abs(pose[0] - seconds) <= 0.6 && (!best || Math.abs(pose[0] - seconds) < Math.abs(best[0] - seconds))) best = pose;
  }
  return best;
}

function drawSkeleton(pen, pose, width, height) {
  const point = (k) => [pose[1 + 3 * k] * width, pose[2 + 3 * k] * height, pose[3 + 3 * k]];
  pen.strokeStyle = pen.fillStyle = "#39ff14";
  for (const [a, b] of BONES) {
    const [ax, ay, as] = point(a), [bx, by, bs] = point(b);
    if (as < 0.3 || bs < 0.3) continue;
    pen.beginPath();
    pen.moveTo(ax, ay);
    pen.lineTo(bx, by);
    pen.stroke();
  }
  for (let k = 0; k < 17; k++) {
    const [x, y, score] = point(k);
    if (score >= 0.3) pen.fillRect(x - 2, y - 2, 4, 4);
  }
}

function setUpPlayer(video) {
  const canvas = document.getElementById("overlay");
  const overlays = JSON.parse(document.getElementById("overlays").textContent || "[]");
  const toggle = document.getElementById("boxes");
  const skeletons = document.getElementById("skeletons");
  const start = Number(video.dataset.start);
  const colours = { person: "#ff8c00" };

  function draw() {
    const width = video.clientWidth, height = video.clientHeight;
    if (canvas.width !== width || canvas.height !== height) { canvas.width = width; canvas.height = height; }
    const pen = canvas.getContext("2d");
    pen.clearRect(0, 0, width, height);
    pen.lineWidth = 2;
    pen.font = "13px system-ui, sans-serif";
    for (const track of overlays) {
      const pose = skeletons.checked ? poseAt(track.poses || [], video.currentTime) : null;
      if (pose) drawSkeleton(pen, pose, width, height);
      if (!toggle.checked) continue;
      const box = boxAt(track.boxes, video.currentTime);
      if (!box) continue;
      const [x1, y1, x2, y2] = [box[1] * width, box[2] * height, box[3] * width, box[4] * height];
      pen.strokeStyle = pen.fillStyle = colours[track.label] || "#28a0ff";
      pen.strokeRect(x1, y1, x2 - x1, y2 - y1);
      pen.fillText(`${track.label} #${track.object_id || track.track_id}`, x1 + 2, Math.max(12, y1 - 4));
    }
  }

  function tick() {
    draw();
    if ("requestVideoFrameCallback" in video) video.requestVideoFrameCallback(tick);
  }

  video.addEventListener("loadedmetadata", () => {
    if (Math.abs(video.currentTime - start) > 0.5) video.currentTime = start;
  });
  video.addEventListener("timeupdate", draw);
  video.addEventListener("seeked", draw);
  toggle.addEventListener("change", draw);
  skeletons.addEventListener("change", draw);
  window.addEventListener("resize", draw);
  document.getElementById("replay").addEventListener("click", () => {
    video.currentTime = start;
    video.play();
  });
  tick();
}

function setUpJobs(list) {
  // While a job is queued or running, reload the list every second from /api/jobs.
  if (list.dataset.live !== "yes") return;
  const timer = setInterval(async () => {
    const answer = await fetch("/api/jobs", { headers: { Accept: "application/json" } });
    if (!answer.ok) return;
    const jobs = await answer.json();
    for (const job of jobs) {
      const section = list.querySelector(`[data-job="${job.id}"]`);
      if (!section) { window.location.reload(); return; }
      const percent = job.state === "done" ? 100 : job.media_s > 0 ? (100 * job.media_done_s) / job.media_s : 0;
      section.querySelector("progress").value = percent;
      section.querySelector(".state").textContent = job.state;
      const speed = job.speed ? ` · ${Math.round(job.speed)}x real time` : "";
      const now = job.current ? ` · now: ${job.current}` : "";
      section.querySelector(".detail").textContent =
        `${job.files_done}/${job.files} files · ${Math.round(job.media_done_s)} s of ${Math.round(job.media_s)} s of video${speed}${now}`;
      section.className = `job state-${job.state}`;
    }
    if (jobs.every((job) => job.state === "done" || job.state === "failed")) {
      clearInterval(timer);
      window.location.reload();
    }
  }, 1000);
}

function setUpShare(section) {
  // "Create share link" posts the choices of the export form (who to leave visible, what to hide,
  // for how many days) and shows the link it answers; "Download clip" is the form's own submit.
  const form = document.getElementById("export-form");
  const button = document.getElementById("create-share");
  const status = document.getElementById("share-status");
  const link = document.getElementById("share-link");

  function choice() {
    const data = new FormData(form);
    const caption = String(data.get("caption") || "").trim();
    return {
      keep: data.getAll("keep").map(Number),
      redact: data.getAll("redact").filter((value) => value !== ""),
      days: Number(data.get("days") || 7),
      caption: caption || null,
    };
  }

  function problem(body) {
    if (body && typeof body.detail === "string") return body.detail;
    if (body && Array.isArray(body.detail)) return body.detail.map((e) => `${e.loc.slice(1).join(".")}: ${e.msg}`).join("; ");
    return "the server did not say why";
  }

  button.addEventListener("click", async () => {
    if (!form.reportValidity()) return;
    button.disabled = true;
    status.textContent = "Making the redacted clip, this takes a moment…";
    try {
      const answer = await fetch(section.dataset.sharesUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(choice()),
      });
      const body = await answer.json().catch(() => null);
      if (!answer.ok) throw new Error(problem(body));
      link.value = new URL(body.url, window.location.href).href;
      document.getElementById("share-open").href = body.url;
      // the server's own local time, as the pages show times
      document.getElementById("share-expires").textContent = body.expires.slice(0, 16).replace("T", " ");
      document.getElementById("share-result").hidden = false;
      status.textContent = body.check ? `Face check: ${body.check}.` : "";
    } catch (error) {
      status.textContent = `No link made: ${error.message}`;
    } finally {
      button.disabled = false;
    }
  });

  form.addEventListener("submit", () => {
    status.textContent = "The clip downloads when it is ready (a redacted clip takes a while).";
  });

  document.getElementById("copy-share").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(link.value);
      status.textContent = "Link copied.";
    } catch {
      link.select();  // the clipboard needs a secure page: select it for the user to copy
      status.textContent = "Press Ctrl+C (or Cmd+C) to copy the selected link.";
    }
  });
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function clockOf(iso, withDay) {
  // A time of the JSON (the server's local time, with its offset) as the pages print it:
  // "17:03:12", or "Sat 21 Nov 17:03:12" with the day.
  const time = iso.slice(11, 19);
  if (!withDay) return time;
  const [year, month, day] = iso.slice(0, 10).split("-").map(Number);
  const weekday = WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()];
  return `${weekday} ${String(day).padStart(2, "0")} ${MONTHS[month - 1]} ${time}`;
}

function timeElement(iso) {
  const element = document.createElement("time");
  element.dateTime = iso;
  element.textContent = clockOf(iso, true);
  return element;
}

function spanOf(className, ...parts) {
  const element = document.createElement("span");
  element.className = className;
  element.append(...parts);
  return element;
}

function renderLive(element, camera) {
  // The badge of templates/_live.html, from one camera of /api/live.
  element.className = `live state-${camera.state}${camera.stale ? " stale" : ""}`;
  const badge = spanOf("badge", camera.label);
  badge.title = camera.stale ? `footage run is not running: it last reported ${camera.state}` : "as footage run reports it";
  const parts = [badge, spanOf("since", "since ", timeElement(camera.since))];
  if (camera.detail) parts.push(spanOf("detail", camera.detail));
  parts.push(spanOf("segment", "last segment ", camera.last_segment ? timeElement(camera.last_segment) : "none yet"));
  if (camera.last_moment) {
    const link = document.createElement("a");
    link.href = camera.last_moment.url;
    link.textContent = camera.last_moment.title;
    parts.push(spanOf("last-moment", "last moment ", link, " ", timeElement(camera.last_moment.start)));
  }
  element.replaceChildren(...parts);
}

function setUpLive(list) {
  // Every 5 seconds (while the page is in view), the live cameras' badges again from /api/live.
  setInterval(async () => {
    if (document.hidden) return;
    let answer;
    try {
      answer = await fetch(list.dataset.live, { headers: { Accept: "application/json" } });
    } catch {
      return;  // the server is away for a moment: keep what is shown
    }
    if (!answer.ok) return;
    for (const camera of await answer.json()) {
      const badge = list.querySelector(`[data-live-camera="${CSS.escape(camera.camera)}"]`);
      if (badge) renderLive(badge, camera);
    }
  }, 5000);
}

function showStar(form, starred) {
  const button = form.querySelector("button");
  button.setAttribute("aria-pressed", String(starred));
  button.textContent = starred ? "\u2605" : "\u2606";
  button.title = `${starred ? "Starred: click to unstar" : "Star this moment to keep it"}. ${form.dataset.keptNote}.`;
  form.querySelector('input[name="starred"]').value = String(!starred);
}

function setUpStars() {
  // A star button sends its choice to the API and changes in place (its form posts to the page
  // route when there is no JavaScript); every star of the same moment on the page follows.
  document.addEventListener("submit", async (event) => {
    const form = event.target.closest("form.star");
    if (!form) return;
    event.preventDefault();
    const button = form.querySelector("button");
    const starred = button.getAttribute("aria-pressed") !== "true";
    button.disabled = true;
    try {
      const answer = await fetch(form.dataset.starUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ starred }),
      });
      const body = await answer.json().catch(() => null);
      if (!answer.ok) throw new Error(body && typeof body.detail === "string" ? body.detail : `the server said ${answer.status}`);
      for (const same of document.querySelectorAll(`form.star[data-star-url="${CSS.escape(form.dataset.starUrl)}"]`)) {
        showStar(same, body.starred);
      }
    } catch (error) {
      button.title = `Not changed: ${error.message}`;
    } finally {
      button.disabled = false;
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const strip = document.getElementById("strip");
  if (strip) setUpStrip(strip);
  const video = document.getElementById("player");
  if (video) setUpPlayer(video);
  const jobs = document.getElementById("jobs");
  if (jobs) setUpJobs(jobs);
  const share = document.getElementById("share");
  if (share) setUpShare(share);
  const cameras = document.getElementById("cameras");
  if (cameras && cameras.dataset.live) setUpLive(cameras);
  setUpStars();
});
