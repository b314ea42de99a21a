// Marks the page as JavaScript-enabled so GOV.UK Frontend components can enhance it.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
