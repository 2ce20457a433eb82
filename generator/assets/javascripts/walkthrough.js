/* "Play all steps": each platform tab of a guide has a button that turns into
 * the guide's walkthrough video, with its captions under it. Nothing is fetched
 * until the button is pressed: the page only holds the video's address.
 * When the site palette is dark, the dark walkthrough is played if there is one. */
(function () {
  "use strict";

  function siteRoot() {
    var config = document.getElementById("__config");
    var base = ".";
    if (config) {
      try {
        base = JSON.parse(config.textContent).base || ".";
      } catch (error) {
        base = ".";
      }
    }
    return new URL(base.replace(/\/?$/, "/"), location.href);
  }

  function darkPalette() {
    return document.body.getAttribute("data-md-color-scheme") === "slate";
  }

  function play(box, button) {
    var data = box.dataset;
    var dark = darkPalette() && data.videoDark && data.captionsDark;
    var root = siteRoot();
    var video = document.createElement("video");
    video.className = "gg-walkthrough__video";
    video.controls = true;
    video.playsInline = true;
    video.preload = "auto";
    video.width = Number(data.width);
    video.height = Number(data.height);
    video.setAttribute("aria-label", data.title);
    var source = document.createElement("source");
    source.src = new URL(dark ? data.videoDark : data.video, root).href;
    source.type = "video/mp4";
    var track = document.createElement("track");
    track.kind = "captions";
    track.srclang = data.lang;
    track.label = data.label;
    track.src = new URL(dark ? data.captionsDark : data.captions, root).href;
    track.default = true;
    video.appendChild(source);
    video.appendChild(track);
    /* The captions in a band under the picture, never over it: the browser
     * would draw them on the video, where a long one hides a mark. The track
     * shows on the video only in full screen, where the band is not seen. */
    var band = document.createElement("p");
    band.className = "gg-walkthrough__captions";
    band.setAttribute("aria-hidden", "true");
    function showCaptions() {
      var full = document.fullscreenElement === video;
      video.textTracks[0].mode = full ? "showing" : "hidden";
      band.hidden = full;
    }
    video.textTracks[0].addEventListener("cuechange", function () {
      var active = this.activeCues;
      band.textContent = active && active.length ? active[0].text : "";
    });
    document.addEventListener("fullscreenchange", showCaptions);
    box.replaceChild(video, button);
    box.appendChild(band);
    showCaptions();
    video.focus();
    var started = video.play();
    if (started) {
      /* A browser that refuses to start leaves the controls for the reader. */
      started.catch(function () {});
    }
  }

  document.querySelectorAll(".gg-walkthrough").forEach(function (box) {
    var button = box.querySelector(".gg-walkthrough__play");
    if (!button) return;
    button.addEventListener("click", function () {
      play(box, button);
    });
    button.hidden = false;
  });
})();
