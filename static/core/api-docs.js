/* The API's documentation page: Redoc, served from the project, reading the OpenAPI schema. */
(function () {
  "use strict";
  var box = document.getElementById("redoc-container");
  Redoc.init(box.dataset.schemaUrl, {}, box);
})();
