"""django-tables2 tables of a presented report (see selectors.present_layout).

The web page shows one table per group of rows, headed as the seed heads it; the CSV and
XLSX exports are one flat table of every row, with the numbers as numbers beside the
figures as written. Both read cells written by figures.cell_text, so small counts are
suppressed in the exports too.
"""

import django_tables2 as tables


class MeasureRowTable(tables.Table):
    label = tables.TemplateColumn(template_name="performance/cells/measure.html", verbose_name="Performance Measure")
    polarity = tables.TemplateColumn(
        template_name="performance/cells/polarity.html", verbose_name="Good is", attrs={"th": {"class": "col-polarity"}}
    )
    previous = tables.Column(accessor="cells__previous__text", verbose_name="Previous Period")
    latest = tables.Column(
        accessor="cells__latest__text", verbose_name="Latest Available", attrs={"td": {"class": "col-latest"}}
    )
    comparator = tables.Column(accessor="cells__comparator__text", verbose_name="England Average", default="-")
    rag = tables.TemplateColumn(
        template_name="performance/cells/rag.html", verbose_name="Status", attrs={"td": {"class": "col-rag"}}
    )
    direction = tables.TemplateColumn(
        template_name="performance/cells/direction.html",
        verbose_name="Direction of travel",
        attrs={"td": {"class": "col-direction"}},
    )
    trend = tables.TemplateColumn(
        template_name="performance/cells/sparkline.html", verbose_name="Trend", attrs={"th": {"class": "col-trend"}}
    )

    class Meta:
        template_name = "performance/tables2_table.html"
        orderable = False
        attrs = {"class": "kpi"}

    def __init__(self, data, *, table: dict, group: dict, **kwargs):
        super().__init__(data, **kwargs)
        headers = table["headers"]
        subheader = group.get("subheader") or {}
        self.caption = group["label"] or table["caption_text"]
        self.columns["label"].column.verbose_name = headers["measure"]
        self.columns["polarity"].column.verbose_name = headers["polarity"] or "Good is"
        self.columns["previous"].column.verbose_name = subheader.get("previous") or headers["previous"]
        self.columns["latest"].column.verbose_name = subheader.get("latest") or headers["latest"]
        self.columns["comparator"].column.verbose_name = headers["comparator"]
        if not headers["polarity"]:
            self.columns.hide("polarity")
        if not headers["comparator"]:
            self.columns.hide("comparator")
        if not table["has_rag"]:
            self.columns.hide("rag")


class ReportExportTable(tables.Table):
    """Every row of a report, flat, for CSV and XLSX."""

    section = tables.Column(verbose_name="Section", default="")
    group = tables.Column(verbose_name="Group", default="")
    code = tables.Column(verbose_name="Measure code", default="")
    measure = tables.Column(verbose_name="Measure", default="")
    good_is = tables.Column(verbose_name="Good is", default="")
    previous_period = tables.Column(verbose_name="Previous period", default="")
    previous = tables.Column(verbose_name="Previous figure", default="")
    previous_number = tables.Column(verbose_name="Previous value", default="")
    previous_count = tables.Column(verbose_name="Previous count", default="")
    latest_period = tables.Column(verbose_name="Latest period", default="")
    latest = tables.Column(verbose_name="Latest figure", default="")
    latest_number = tables.Column(verbose_name="Latest value", default="")
    latest_count = tables.Column(verbose_name="Latest count", default="")
    comparator_name = tables.Column(verbose_name="Comparator", default="")
    comparator = tables.Column(verbose_name="Comparator figure", default="")
    comparator_number = tables.Column(verbose_name="Comparator value", default="")
    comparator_period = tables.Column(verbose_name="Comparator period", default="")
    rag = tables.Column(verbose_name="RAG status", default="")
    direction = tables.Column(verbose_name="Direction of travel", default="")

    class Meta:
        orderable = False


def export_rows(presented: dict) -> list[dict]:
    rows = []
    for section in presented["sections"]:
        for table in section["tables"]:
            comparator_name = table["headers"]["comparator"]
            for group in table["groups"]:
                for row in group["rows"]:
                    cells = row["cells"]
                    comparator = cells.get("comparator")
                    direction = row["direction_shown"]
                    rows.append(
                        {
                            "section": section["heading"],
                            "group": group["label"] or group["service_area"],
                            "code": row["code"],
                            "measure": row["label"],
                            "good_is": row["polarity_letter"],
                            "previous_period": row["previous"].get("period", ""),
                            "previous": cells["previous"].text,
                            "previous_number": cells["previous"].number,
                            "previous_count": cells["previous"].count,
                            "latest_period": row["latest"].get("period", ""),
                            "latest": cells["latest"].text,
                            "latest_number": cells["latest"].number,
                            "latest_count": cells["latest"].count,
                            "comparator_name": comparator_name,
                            "comparator": comparator.text if comparator else "",
                            "comparator_number": comparator.number if comparator else None,
                            "comparator_period": (row["comparator"] or {}).get("period", ""),
                            "rag": row["rag_label"],
                            "direction": direction.text if direction else "",
                        }
                    )
    return rows
