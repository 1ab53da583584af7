// Quick note: Ctrl+Enter (or Cmd+Enter) in the text saves the note.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("note-form");
  if (!form) return;
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
});
