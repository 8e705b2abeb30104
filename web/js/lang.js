// The reader's language, applied before the page is drawn (a classic script in <head>, so
// no flash of the other language). A file of its own: the pages' Content-Security-Policy
// allows no inline script.
try {
  if (localStorage.getItem("lang") === "en") {
    document.documentElement.dataset.lang = "en";
    document.documentElement.lang = "en";
  }
} catch (e) {}
