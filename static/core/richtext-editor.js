// The rich-text editor over every text area of rich text in the admin (core/editor.py).
//
// django-prose-editor's editor bundle is imported by its address rather than through an
// import map: an import map is an inline script, which the Content-Security-Policy forbids.
// For the same reason Tiptap is told not to add its inline <style> element: its few rules
// are in core/richtext-editor.css.
import * as prose from "../django_prose_editor/editor.js";

const { Editor, Mark, Heading, TableHeader, initializeEditors } = prose;

// <abbr title="…">: the sanitiser keeps it and reports imported from Word carry it.
const Abbreviation = Mark.create({
  name: "abbreviation",
  addAttributes() {
    return { title: { default: null } };
  },
  parseHTML() {
    return [{ tag: "abbr" }];
  },
  renderHTML({ HTMLAttributes }) {
    return ["abbr", HTMLAttributes, 0];
  },
});

// A header cell keeps its scope (row or column), which screen readers announce.
const ScopedTableHeader = TableHeader.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      scope: {
        default: null,
        parseHTML: (element) => element.getAttribute("scope"),
        renderHTML: (attributes) => (attributes.scope ? { scope: attributes.scope } : {}),
      },
    };
  },
});

// Headings are stored at relative levels (printed under the section's own heading); an <h2>
// in older text is read as the top level offered rather than dropped to a paragraph.
const RelativeHeading = Heading.extend({
  parseHTML() {
    const top = this.options.levels[0];
    return [{ tag: "h2", attrs: { level: top } }, ...(this.parent?.() || [])];
  },
});

const ours = { Abbreviation, TableHeader: ScopedTableHeader, Heading: RelativeHeading };

function extensionsFrom(config) {
  const extensions = [];
  for (const [name, settings] of Object.entries(config.extensions)) {
    const extension = ours[name] || prose[name];
    if (!extension) continue;
    extensions.push(typeof settings === "object" ? extension.configure(settings) : extension);
  }
  return extensions;
}

function labelOf(textarea) {
  const label = textarea.id && document.querySelector(`label[for="${CSS.escape(textarea.id)}"]`);
  return label ? label.textContent.replace(/:\s*$/, "").trim() : textarea.name;
}

function createEditor(textarea) {
  if (textarea.closest(".prose-editor")) return null;
  const config = JSON.parse(textarea.dataset.richtext);
  const wrapper = document.createElement("div");
  wrapper.className = "prose-editor";
  textarea.before(wrapper);
  wrapper.append(textarea);

  // The editable area is what the officer types in: it takes the text area's name, help
  // text and error state, so a screen reader announces the field as before.
  const attributes = { role: "textbox", "aria-multiline": "true", "aria-label": labelOf(textarea) };
  for (const name of ["aria-describedby", "aria-invalid"]) {
    if (textarea.hasAttribute(name)) attributes[name] = textarea.getAttribute(name);
  }
  const editor = new Editor({
    element: wrapper,
    injectCSS: false,
    editable: !textarea.disabled,
    extensions: extensionsFrom(config),
    content: textarea.value,
    editorProps: { attributes },
    // The text area is written only when the officer changes something: an untouched
    // page posts back exactly what was stored.
    onUpdate({ editor }) {
      const html = editor.getHTML();
      textarea.value = /^<(\w+)(\s[^>]*)?><\/\1>$/i.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
  });
  // The field's label moves the focus into the editor, as it did into the text area.
  const label = textarea.id && document.querySelector(`label[for="${CSS.escape(textarea.id)}"]`);
  if (label) label.addEventListener("click", () => editor.commands.focus());
  textarea.richTextEditor = editor;
  return editor;
}

initializeEditors(createEditor, "textarea[data-richtext]");
