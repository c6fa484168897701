"""The printable OSCE status report and the compliance page, against the data."""

import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest

from instruments import selectors
from reports.standings import obligation_standings
from states.selectors import participant_list

pytestmark = pytest.mark.usefixtures("real_data", "records_checked")

STATIC = Path(__file__).resolve().parents[2] / "static"
ON = date(2007, 6, 30)


def report(client, query: str = "as_of=2007-06-30") -> str:
    response = client.get(f"/reports/osce-status/?{query}")
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_the_report_has_its_title_date_purpose_and_numbered_sections(client):
    html = report(client)
    assert (
        '<h1 id="report-title">Status of the UN Convention against Transnational Organized '
        "Crime and its Protocols: OSCE participating States and Partners</h1>" in html
    )
    assert "Status as at <strong>30 June 2007</strong>" in html
    headings = re.findall(r"<h2 id=\"[\w-]+\">(.*?)</h2>", html)
    assert headings == [
        "1. Purpose",
        "2. Summary",
        "3. Convention",
        "4. Trafficking in Persons Protocol",
        "5. Smuggling of Migrants Protocol",
        "6. Firearms Protocol",
        "7. States not yet party",
        "8. Compliance overview",
    ]


def test_the_summary_counts_participating_states_and_partners_separately(client):
    html = report(client)
    matrix = selectors.status_matrix(
        as_of=ON, participants=participant_list(osce_role="osce", as_of=ON)
    )
    participating = [p.pk for p in matrix.participants if p.role_on == "participating"]
    partners = [p.pk for p in matrix.participants if p.role_on != "participating"]
    # On 30 June 2007: 56 participating States (Mongolia joined in 2012) and 11 Partners
    # (Mongolia among them, Australia not yet: Partner from 2009).
    assert (len(participating), len(partners)) == (56, 11)
    assert "OSCE participating States (56)" in html
    assert "OSCE Partners for Co-operation (11)" in html
    first, second = (matrix.counts(ids) for ids in (participating, partners))
    summary = re.search(r'id="summary-caption".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    for instrument in matrix.instruments:
        row = re.search(rf"<th scope=\"row\">{instrument.short_title}</th>(.*?)</tr>", summary)
        numbers = [int(n) for n in re.findall(r"(\d+)</td>", row.group(1))]
        code = instrument.code
        assert numbers == [
            first[code]["signatories"],
            first[code]["parties"],
            second[code]["signatories"],
            second[code]["parties"],
        ]


def test_each_instrument_table_lists_every_participating_state_and_partner(client):
    html = report(client)
    section = re.search(r'id="section-som".*?</table>', html, re.S).group(0)
    names = re.findall(r'<tr><th scope="row">(.*?)</th>', section)
    assert names == [p.name for p in participant_list(osce_role="participating", as_of=ON)] + [
        p.name for p in participant_list(osce_role="partner", as_of=ON)
    ]
    assert "Mongolia" in names[56:]  # an Asian Partner then
    assert "Australia" not in names
    austria = re.search(r'<tr><th scope="row">Austria</th>(.*?)</tr>', section).group(1)
    assert "Signatory" in austria  # ratified on 30 Nov 2007
    montenegro = re.search(r'<tr><th scope="row">Montenegro</th>(.*?)</tr>', section).group(1)
    assert "23 Oct 2006 d" in montenegro  # succession, with the depositary's mark


def test_states_not_yet_party_are_listed_per_instrument(client):
    html = report(client)
    listed = re.search(r'id="not-party-heading".*?</section>', html, re.S).group(0)
    matrix = selectors.status_matrix(
        as_of=ON, participants=participant_list(osce_role="osce", as_of=ON)
    )
    for instrument in matrix.instruments:
        not_party = [
            p for p in matrix.participants if matrix.status(p.pk, instrument.code).status != "party"
        ]
        assert f"<h3>{instrument.short_title} ({len(not_party)})</h3>" in listed
    assert "Austria — signatory" in listed
    assert "Holy See</li>" in listed  # no action on record in 2007


def test_the_report_gives_the_compliance_overview_per_group(client):
    html = report(client, "as_of=2010-01-01")
    overview = html[html.index('id="compliance-overview-heading"') :]
    overview = overview[: overview.index("</section>")]
    standings = obligation_standings(
        as_of=date(2010, 1, 1),
        participant_ids=participant_list(
            osce_role="participating", as_of=date(2010, 1, 1)
        ).values_list("pk", flat=True),
    )
    by_code = {s.obligation.code: s for s in standings.summary()}
    central = by_code["untoc-18-13"]
    row = re.search(r"<th scope=\"row\">UNTOC art\. 18\(13\):.*?</tr>", overview, re.S).group(0)
    numbers = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row)]
    assert numbers[:3] == [central.standings["received"], central.not_yet_checked, central.overdue]
    assert central.overdue > 0
    assert "neither is a finding that a State failed to act" in overview
    assert re.search(r"UNTOC art\. 18\(13\): records checked for \d+ of \d+ participants", overview)


def test_the_report_prints_on_a4_without_the_site_furniture(client):
    html = report(client)
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in html
    print_css = (STATIC / "css" / "print.css").read_text()
    assert re.search(r"@page \{\s*size: A4;", print_css)
    assert ".site-header, .site-footer, .filters" in print_css
    assert ".report-instrument { break-before: page;" in print_css


def test_the_compliance_page_lists_states_with_no_submission_on_record_past_the_due_date(
    client,
):
    response = client.get("/compliance/?as_of=2010-01-01&obligation=untoc-18-14")
    assert response.status_code == 200
    html = response.content.decode()
    section = html[html.index('id="obligation-untoc-18-14"') :]
    section = section[: section.index("</section>")]
    rows = re.findall(
        r'<th scope="row"><a href="/states/(\w+)/.*?</th><td>(.*?)</td><td>(.*?)</td>', section
    )
    found = {code: (due, bucket) for code, due, bucket in rows}
    # Germany deposited on 14 Jun 2006 and no language notification is on record: due since
    # then, with the ageing bucket, and no day count on a public page.
    assert found["DEU"] == ("14 Jun 2006", "1-5 years")
    assert "Days overdue" not in html
    assert "1297" not in section
    # Latvia notified its languages (art. 18(14)), so it is not listed.
    assert "LVA" not in found
    ids = participant_list(osce_role="osce").values_list("pk", flat=True)
    standings = obligation_standings(as_of=date(2010, 1, 1), participant_ids=ids)
    languages = next(o for o in standings.obligations if o.code == "untoc-18-14")
    assert set(found) == {e.participant.iso3 for e in standings.overdue(languages)}
    assert "no submission on record" in html.lower()


def test_the_compliance_page_filters_by_ageing_bucket(client):
    html = client.get(
        "/compliance/?as_of=2010-01-01&obligation=untoc-18-14&bucket=over_5_years"
    ).content.decode()
    section = html[html.index('id="obligation-untoc-18-14"') :]
    section = section[: section.index("</section>")]
    rows = re.findall(r'<a href="/states/(\w+)/.*?</th><td>[^<]*</td><td>([^<]*)</td>', section)
    assert rows, "parties that deposited before 2005 are over five years late in 2010"
    assert {bucket for _, bucket in rows} == {"over 5 years"}
    ids = participant_list(osce_role="osce").values_list("pk", flat=True)
    standings = obligation_standings(as_of=date(2010, 1, 1), participant_ids=ids)
    languages = next(o for o in standings.obligations if o.code == "untoc-18-14")
    expected = {
        e.participant.iso3 for e in standings.overdue(languages) if e.bucket == "over_5_years"
    }
    assert {code for code, _ in rows} == expected


def test_a_bad_compliance_filter_is_a_400_naming_the_parameter(client):
    response = client.get("/compliance/?bucket=forever&obligation=nope")
    assert response.status_code == 400
    html = response.content.decode()
    assert "bucket" in html
    assert "obligation" in html
