// Sends the browser's time zone with the sign-up form, so days and streaks follow the user's clock.
export function fillTimezone(root) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone) return;
  for (const form of root.querySelectorAll("[data-timezone-form]")) {
    const field = form.querySelector('input[name="timezone"]');
    if (field) field.value = zone;
  }
}
