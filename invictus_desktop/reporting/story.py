"""Assembles the report's flowables, in reading order, from a snapshot."""

from dataclasses import dataclass, field

from reportlab.platypus import Flowable, PageBreak

from invictus_desktop.reporting import appendix, contents, cover, priorities, sections
from invictus_desktop.reporting.audience import Audience
from invictus_desktop.reporting.citations import References
from invictus_desktop.reporting.flowables import AnchoredParagraph
from invictus_desktop.reporting.snapshot import ReportSnapshot
from invictus_desktop.reporting.styles import ReportStyles, report_styles
from invictus_desktop.reporting.text import markup


@dataclass(frozen=True)
class ContentsEntry:
    key: str
    title: str
    level: int


@dataclass
class StoryContext:
    """What every section builder needs: the data, the copy's rules, the styles,
    and the running lists of contents entries and cited sources."""

    snapshot: ReportSnapshot
    audience: Audience
    frame_width: float
    styles: ReportStyles = field(default_factory=report_styles)
    references: References = field(default_factory=References)
    contents: list[ContentsEntry] = field(default_factory=list)

    def heading(self, title: str, level: int = 0) -> AnchoredParagraph:
        """A section heading, listed in the contents and the PDF outline."""
        key = f"section-{len(self.contents) + 1}"
        self.contents.append(ContentsEntry(key, title, level))
        style = self.styles.heading1 if level == 0 else self.styles.heading2
        return AnchoredParagraph(markup(title), style, key, title, level)


def build_story(snapshot: ReportSnapshot, audience: Audience, frame_width: float) -> list:
    """Cover, contents, body and appendices, ready for a document template."""
    context = StoryContext(snapshot, audience, frame_width)

    body: list[Flowable] = [
        *sections.executive_summary(context),
        *sections.context_and_focus(context),
        *sections.strengths(context),
        *sections.evidence_by_focus_area(context),
        *priorities.findings(context),
        *sections.actions(context),
        *sections.previous_actions(context),
        *sections.headteacher_response(context),
        *sections.safeguarding(context),
        *sections.sign_off(context),
        *appendix.evidence_log(context),
        *appendix.sources_cited(context),
    ]

    # The contents can only be written once every heading exists.
    return [
        *cover.cover_page(context),
        PageBreak(),
        *contents.contents_pages(context),
        PageBreak(),
        *body,
    ]
