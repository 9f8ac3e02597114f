// Sends a page's form without leaving the page, as its button would (the form carries its CSRF token), and
// asks for JSON back. Resolves to the response; rejects when the server did not take it.
export async function postForm(form) {
  const response = await fetch(form.action, {
    method: "POST",
    body: new FormData(form),
    headers: { Accept: "application/json" },
    credentials: "same-origin",
  });
  if (!response.ok) throw new Error(`the server answered ${response.status}`);
  return response;
}
