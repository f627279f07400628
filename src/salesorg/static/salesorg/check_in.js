// The visit form's check-in (签到, #18): nothing is asked of the browser until the rep taps
// "Check in" (their consent); then its position (latitude, longitude, accuracy, time) fills
// the form's hidden check-in fields, which go with the visit, also through the offline queue.
// "Remove" clears them. No check-in is needed to save a visit.
(function () {
  const FIELDS = ["checkin_latitude", "checkin_longitude", "checkin_accuracy_m", "checkin_at"];

  function parts(block) {
    const form = block.closest("form");
    const input = (name) => form.querySelector(`input[name=${name}]`);
    return { form, input, status: block.querySelector("[data-check-in-status]") };
  }

  function metres(block, value) {
    const lang = document.documentElement.lang || undefined;
    const n = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }).format(value);
    return block.dataset.metres.replace("{n}", n);
  }

  function show(block) {
    const { input, status } = parts(block);
    const done = FIELDS.every((name) => input(name) && input(name).value);
    block.querySelector("[data-check-in-button]").hidden = done;
    block.querySelector("[data-check-in-remove]").hidden = !done;
    if (done) {
      const at = new Date(input("checkin_at").value);
      const time = at.toLocaleTimeString(document.documentElement.lang || undefined, {
        hour: "2-digit",
        minute: "2-digit",
      });
      status.textContent = block.dataset.done
        .replace("{time}", time)
        .replace("{accuracy}", metres(block, Number(input("checkin_accuracy_m").value)));
      status.classList.add("text-success");
    } else if (!status.dataset.keep) {
      status.textContent = block.dataset.hint;
      status.classList.remove("text-success");
    }
  }

  function clear(block) {
    const { input } = parts(block);
    ["check_in", ...FIELDS].forEach((name) => input(name) && (input(name).value = ""));
  }

  function checkIn(block) {
    const { input, status } = parts(block);
    const say = (text) => {
      status.textContent = text;
      status.dataset.keep = "1";
    };
    if (!navigator.geolocation) {
      say(block.dataset.unavailable);
      return;
    }
    input("check_in").value = "1"; // the rep's tap is their consent
    say(block.dataset.locating);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const c = position.coords;
        input("checkin_latitude").value = c.latitude.toFixed(6);
        input("checkin_longitude").value = c.longitude.toFixed(6);
        input("checkin_accuracy_m").value = String(Math.round(c.accuracy));
        input("checkin_at").value = new Date(position.timestamp || Date.now()).toISOString();
        delete status.dataset.keep;
        show(block);
      },
      (error) => {
        clear(block);
        say(error.code === 1 ? block.dataset.denied : block.dataset.unavailable);
        show(block);
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 },
    );
  }

  document.addEventListener("DOMContentLoaded", () => {
    const block = document.querySelector("[data-check-in]");
    if (!block) return;
    const { form, status } = parts(block);
    block.querySelector("[data-check-in-button]").addEventListener("click", () => checkIn(block));
    block.querySelector("[data-check-in-remove]").addEventListener("click", () => {
      clear(block);
      delete status.dataset.keep;
      show(block);
    });
    // A visit kept on the phone offline resets the form: the next visit starts unchecked.
    form.addEventListener("reset", () => {
      clear(block);
      delete status.dataset.keep;
      setTimeout(() => show(block));
    });
    // A refused visit reopened as a draft brings its check-in back.
    new MutationObserver(() => show(block)).observe(form, {
      attributes: true,
      attributeFilter: ["data-from-draft"],
    });
    show(block);
  });
})();
