// Says at once when a chosen picture is over the size limit, and lets go of it, so no upload is wasted.
for (const input of document.querySelectorAll("input[type=file][data-max-bytes]")) {
  const warning = input.parentElement.querySelector("[data-too-big]");
  input.addEventListener("change", () => {
    const tooBig = [...input.files].some((file) => file.size > Number(input.dataset.maxBytes));
    warning.hidden = !tooBig;
    if (tooBig) input.value = "";
  });
}
