"""The findings' codes: each with its severity and its English message (the catalogs' msgid, with named
placeholders), and the reasons a sheet or file is not read. The words of every finding are here, for the
translators; findings.py keeps a finding as data and words it when shown."""
from __future__ import annotations

from enum import Enum
from typing import NamedTuple

ERROR, WARNING, NOTE = "error", "warning", "note"
STRICT_EXEMPT = {"CP305", "CP501"}
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, NOTE: 2}


def N_(message: str) -> str:
    """Marks an English message for the catalogs (`pybabel extract` knows N_); it is translated when shown."""
    return message


class Plural(NamedTuple):
    """A message with plural forms: the finding's `count` parameter chooses the form when it is shown."""

    singular: str
    plural: str


def ngettext(singular: str, plural: str) -> Plural:
    """Marks a message with plural forms for the catalogs (`pybabel extract` knows ngettext); worded when shown."""
    return Plural(singular, plural)


class Code(Enum):
    """Stable finding codes. Each carries its severity and its English message, the msgid of its translations.
    Placeholders are named: `value` is the cell as typed, `column`, `file` and `sheet` where it is; the others are
    the finding's parameters (messages.py says how each kind is worded)."""

    # Files and sheets
    CP001 = (ERROR, N_("The file cannot be read as a spreadsheet (%(detail)s). Open it in Excel or LibreOffice and "
                       "save it again as .xlsx or .csv."))
    CP002 = (NOTE, N_("This file is not one of the tables cpfs, activities or displacement, so it was skipped."))
    CP003 = (ERROR, N_("No '%(table)s' table was found in the data folder. Add a file or sheet named "
                       "'%(table_name)s'."))
    CP004 = (ERROR, N_("No header row was found in the first 20 rows. Put the column names (%(expected)s) in one "
                       "row above the data."))
    CP005 = (WARNING, N_("The sheet has a header but no data rows (rows of N/A, dashes or spaces alone are empty), "
                         "so its figures are zero. Fill in the rows if there is data for this period."))
    CP006 = (ERROR, N_("These rows of the '%(table)s' table repeat those in %(other)s cell for cell (their ids may be "
                       "written otherwise): the same sheet is given twice (a copy left beside the original?). "
                       "Remove one of the two: the report is built when one is left."))
    CP007 = (NOTE, N_("Excel's lock file was skipped: it is left behind while the workbook is open."))
    CP008 = (ERROR, N_("The file or sheet is empty. Save the sheet again with its header and rows."))
    CP009 = (ERROR, N_("The data folder %(folder)s does not exist. Check 'data' in the config or the --data "
                       "option."))
    CP010 = (ERROR, N_("The file changed while it was being read, twice (is someone saving it?). Close it and build "
                       "again."))
    CP011 = (ERROR, N_("The config names the sheet '%(sheet)s' for this file, but the file has no such sheet (it "
                       "has %(sheets)s). Correct the sheet's name under [files] in the config."))
    CP015 = (ERROR, N_("The file is protected with a password, so it cannot be read. Open it, remove the password "
                       "(File > Info > Protect Workbook), save it and run again."))
    CP016 = (ERROR, N_("The file is damaged or incomplete (it may have been cut off while copying). Copy it again "
                       "from the original, or open it in Excel and save it again."))
    CP017 = (ERROR, N_("The file is a web page or XML export saved with a spreadsheet name, not a real workbook. "
                       "Open it in Excel and save it as .xlsx."))
    CP018 = (NOTE, N_("This row looks like a total row ('%(value)s'), so it was left out: the report adds up the "
                      "rows itself."))
    CP019 = (NOTE, N_("These files in the data folder are not spreadsheets and were skipped: %(files)s."))
    CP020 = (NOTE, N_("Not read: %(reason)s."))
    CP021 = (NOTE, ngettext("This is a KoboToolbox or ODK export: its %(count)s meta column (%(columns)s) is the "
                            "form's own record, not data, and was left out.",
                            "This is a KoboToolbox or ODK export: its %(count)s meta columns (%(columns)s) are the "
                            "form's own records, not data, and were left out."))
    CP022 = (WARNING, N_("This sheet was not read: its header names some of the '%(table)s' table's columns, but "
                         "not %(columns)s, which that table requires. If the sheet holds that table's rows, add "
                         "those columns."))
    CP023 = (ERROR, N_("This is named like a sheet but cannot be read: %(reason)s. Without it a table could be left "
                       "out of the report unnoticed, so nothing is built; put the file in its place, or rename or "
                       "move this entry."))
    CP024 = (WARNING, N_("The file mixes two encodings: %(lines)s in Windows-1256 (Arabic Windows), the others in "
                         "UTF-8. Each line was read in its own encoding; check the Arabic text of those lines, and "
                         "save the file again as UTF-8."))
    CP025 = (ERROR, N_("The file is larger than cpreport reads: %(detail)s. Split it, remove what is not data, or "
                       "raise the limit under [limits] in the config if it is genuine."))
    CP026 = (WARNING, N_("This sheet is hidden in the workbook, so it was not read, although its header is the "
                         "'%(table)s' table's. If its rows belong in the report, unhide the sheet (in Excel, "
                         "right-click a sheet's tab and choose Unhide); if they are old, leave it hidden."))
    CP043 = (WARNING, N_("This sheet is \"very hidden\" in the workbook (a state Excel's Unhide does not list), so it "
                         "was not read, although its header is the '%(table)s' table's. If its rows belong in the "
                         "report, copy them to a visible sheet, or make the sheet visible in Excel's VBA editor "
                         "(Alt+F11, the sheet's Visible property); if they are old, leave it."))
    CP044 = (ERROR, N_("This sheet's header seems to be row %(header_row)s, the '%(table)s' table's, but a header is "
                       "looked for in the first %(searched)s rows, so the sheet was not read. Delete the rows above the "
                       "header (a title or a few notes may stay above it)."))
    CP045 = (WARNING, ngettext("%(count)s submission of this ODK Central export is marked rejected or as having "
                               "issues by its reviewers (%(rows)s), and is counted like the others. If it should not "
                               "be, remove it from the export, or approve it in ODK Central and export again.",
                               "%(count)s submissions of this ODK Central export are marked rejected or as having "
                               "issues by their reviewers (%(rows)s), and are counted like the others. If they should "
                               "not be, remove them from the export, or approve them in ODK Central and export again."))
    CP046 = (ERROR, N_("The workbook has two or more sheets named '%(detail)s', and the workbook reader reads only "
                       "the first of them, so the others' rows would be left out. Give each sheet a name of its own."))
    CP027 = (NOTE, N_("This row repeats the header (two tables pasted one under the other?), so it was left out; "
                      "the rows under it are read under the same columns."))
    CP028 = (ERROR, N_("This row is the header again, but in another order than the header in row %(header_row)s: "
                       "'%(value)s' stands under '%(column)s'. The rows under it would be read under the wrong "
                       "columns. Move them so that their columns match the header's, or put them in a sheet of "
                       "their own."))
    CP029 = (ERROR, ngettext("The %(count)s id of this sheet is also in %(others)s: it repeats their rows (a sheet "
                             "of all the months, or another copy of the same file?). Keep each row in one place: "
                             "remove this sheet or file, or the rows it repeats.",
                             "All %(count)s ids of this sheet are also in %(others)s: it repeats their rows (a "
                             "sheet of all the months, or another copy of the same file?). Keep each row in one "
                             "place: remove this sheet or file, or the rows it repeats."))
    CP030 = (NOTE, N_("This row under the table holds a note alone ('%(value)s'), so it was left out. If it is a row "
                      "of the table, fill in its other columns."))
    CP031 = (WARNING, ngettext("%(count)s cell of this sheet (%(cell)s) holds a formula whose result was never saved, so "
                               "its value is not known: it is read as its formula. Open the file in Excel or "
                               "LibreOffice, let it calculate, and save it.",
                               "%(count)s cells of this sheet (the first: %(cell)s) hold a formula whose result was "
                               "never saved, so their values are not known: they are read as their formulas. Open "
                               "the file in Excel or LibreOffice, let it calculate, and save it."))
    CP032 = (WARNING, N_("This sheet has hidden rows (%(rows)s), hidden by hand or by a filter: they were read and "
                         "counted like the others. If they do not belong in the report, delete them; if they do, "
                         "unhide them to check them."))
    CP033 = (WARNING, N_("The column '%(column)s' is hidden in this sheet: its cells were read and counted like "
                         "the others'. If they do not belong in the report, delete the column; if they do, unhide it "
                         "to check them."))
    CP034 = (WARNING, N_("The config gives options for the file '%(file)s' ([files] in cpreport.toml), but the data "
                         "folder has no such file, so they were used for none. Write the file's path within the data "
                         "folder, as in [files.\"anbar/activities.csv\"]."))
    # Columns
    CP035 = (NOTE, N_("'%(value)s' in the governorate column: this row is read as the figure for the whole scope on "
                      "its date, as a row without a governorate is (the governorates' rows are checked against it)."))
    CP036 = (ERROR, N_("This count ('%(value)s') is one cell merged over rows %(first)s to %(last)s: it cannot be counted "
                       "once for each of them, nor known to be theirs together. Unmerge the cells and write each "
                       "row's own number."))
    CP037 = (ERROR, ngettext("This row has %(count)s cell more than the header has columns, so its cells may have "
                             "moved: a number written with commas (3,042,288) in a comma-separated file is several "
                             "cells. Write numbers without commas, or in quotes, and give each row the header's "
                             "columns.",
                             "This row has %(count)s cells more than the header has columns, so its cells may have "
                             "moved: a number written with commas (3,042,288) in a comma-separated file is several "
                             "cells. Write numbers without commas, or in quotes, and give each row the header's "
                             "columns."))
    CP038 = (WARNING, N_("This sheet has no header, so it was not read, but %(count)s of its rows are shaped like the "
                         "'%(table)s' table's on the sheet '%(other)s' (%(columns)s columns, most of them filled): "
                         "the rest of that table? If its rows belong to the table, copy that sheet's header into "
                         "this sheet's first row; if not, this warning can be left."))
    CP039 = (WARNING, ngettext("%(count)s submission of this KoboToolbox export is marked not approved or on hold by its "
                               "reviewers (%(rows)s), and is counted like the others. If it should not be, "
                               "remove it from the export, or approve it in KoboToolbox and export again.",
                               "%(count)s submissions of this KoboToolbox export are marked not approved or on hold by "
                               "its reviewers (%(rows)s), and are counted like the others. If they should not "
                               "be, remove them from the export, or approve them in KoboToolbox and export again."))
    CP040 = (ERROR, N_("The config says the header of this sheet is row %(header_row)s (header_row under [files] in "
                       "cpreport.toml), but that row names none of the table's columns: the header seems to be row "
                       "%(found)s. Correct header_row, or remove it to let the header be found."))
    CP041 = (WARNING, N_("This sheet's header is the '%(table)s' table's, but the config names the sheet '%(chosen)s' "
                         "of this file to read (sheet under [files] in cpreport.toml), so its rows are not counted. "
                         "If they belong in the report, remove the sheet option to read every sheet of the table."))
    CP042 = (WARNING, N_("This is a compressed archive, which is not opened, so any sheets inside it are not in the "
                         "report. If it holds sheets of the report (an export downloaded as a ZIP), unzip them into "
                         "the data folder; if not, move it out of the data folder."))
    CP101 = (ERROR, N_("The required column '%(column)s' is missing. Add a column headed '%(column)s' (or "
                       "'%(column_ar)s')."))
    CP102 = (NOTE, N_("These columns are not part of the '%(table)s' table and are kept out of the figures: "
                      "%(columns)s."))
    CP103 = (ERROR, N_("Two columns are read as '%(canonical)s': '%(column)s' and '%(other)s'. Rename or remove "
                       "one."))
    CP105 = (WARNING, N_("The column '%(column)s' is not one of the '%(table)s' table's, so it is kept out of the "
                         "figures, but it is spelt close to '%(canonical)s' ('%(canonical_ar)s'), which the table may "
                         "have. If it is that column, head it so, or add [columns.%(table_name)s] %(canonical)s = "
                         "\"%(column)s\" to the config."))
    CP104 = (WARNING, ngettext("Column %(letter)s has %(count)s filled cell under an empty header, so it was not "
                               "read. If it belongs in the report, head the column with its name among the "
                               "'%(table)s' table's columns; if not, delete it.",
                               "Column %(letter)s has %(count)s filled cells under an empty header, so they were "
                               "not read. If they belong in the report, head the column with its name among the "
                               "'%(table)s' table's columns; if not, delete them."))
    CP108 = (WARNING, N_("The column '%(column)s' holds nothing but 0 and 1, as each choice of a select-multiple "
                         "question ('%(question)s') does in an export, so it is not read as '%(canonical)s' "
                         "('%(canonical_ar)s'): a tick is not a number of people. If it is that number, name its "
                         "header under [columns.%(table_name)s] in the config; if not, add a column of the count "
                         "itself."))
    CP107 = (WARNING, N_("The column '%(column)s' holds a share (a percentage), not a count, so it is not read as "
                         "'%(canonical)s' ('%(canonical_ar)s') and is kept out of the figures. If the sheet has the "
                         "number itself, head that column '%(canonical)s'; if not, add it."))
    # Cells
    CP106 = (WARNING, N_("This part of the '%(table)s' table has no '%(column)s' column ('%(column_ar)s'), which other "
                         "parts of it have: its rows count as not recorded for it, and the report's figure of it is "
                         "the other parts' alone. Add the column to this file if its rows have the numbers."))
    CP201 = (ERROR, N_("'%(column)s' is required but empty. Fill it in."))
    CP202 = (ERROR, N_("'%(value)s' is not a count. Write a whole number up to 1,000,000,000,000, such as 25."))
    CP203 = (ERROR, N_("'%(value)s' is negative. A count cannot be below zero."))
    CP204 = (ERROR, N_("'%(value)s' is ambiguous: is the dot a thousands separator or a decimal point? Write the "
                       "number without separators, e.g. 1100."))
    CP205 = (ERROR, N_("'%(value)s' is not a date. Write the date as day/month/year, e.g. 02/05/2017, or as "
                       "2017-05-02."))
    CP206 = (ERROR, N_("'%(value)s' has a two-digit year, which could be read more than one way. Write the year in "
                       "full, e.g. 02/05/2017."))
    CP207 = (ERROR, N_("'%(value)s' is not one of the allowed values: %(allowed)s."))
    CP208 = (ERROR, N_("'%(value)s' is not a governorate of Iraq. Use a name such as Ninewa (in English or "
                       "Arabic), or a p-code such as IQG15."))
    CP209 = (ERROR, N_("The id '%(value)s' is used in %(rows)s. Give each row its own id."))
    CP210 = (WARNING, N_("This row repeats %(rows)s exactly. Delete it if it was entered twice."))
    CP211 = (NOTE, ngettext("%(count)s value in '%(column)s' was read after conversion (Arabic digits, separators, "
                            "spaces, text dates, or a placeholder such as N/A read as empty): '%(value)s'.",
                            "%(count)s values in '%(column)s' were read after conversion (Arabic digits, "
                            "separators, spaces, text dates, or a placeholder such as N/A read as empty), e.g. "
                            "'%(value)s'."))
    CP212 = (WARNING, N_("The Arabic name is empty. Add it so that the Arabic report can name the forum."))
    CP213 = (ERROR, N_("'%(value)s' looks like a month/day/year date: there is no month %(month)s. Write it as "
                       "day/month/year."))
    CP214 = (ERROR, N_("'%(value)s' is not a day of the calendar (such as 31 February or month 13). Correct the day "
                       "or the month."))
    CP215 = (ERROR, N_("'%(value)s' has a year outside %(earliest)s-%(latest)s, which is likely a typing mistake. "
                       "Correct the year."))
    CP216 = (WARNING, N_("'%(value)s' was read day first, as %(read_as)s, but other dates of this column are month first "
                         "(there is no month 13 or more in them), so it may mean the other way round. Write it as "
                         "2017-05-02 or with the month's name (2 May 2017)."))
    # Rules across columns and rows
    CP217 = (WARNING, N_("Excel read this date as %(read_as)s, but other dates of this column stayed text typed day "
                         "first (such as '%(example)s'): this one may have been typed day first too, and read the "
                         "wrong way round (%(other_way)s). Check it, and type the column's dates as text, day/month/year, "
                         "or as dates in Excel's own format."))
    CP218 = (WARNING, N_("This row repeats %(rows)s in every cell but its id ('%(value)s'): the same activity entered "
                         "twice under two ids? Both are counted. If it is one activity, delete one of the rows."))
    CP301 = (ERROR, N_("Female participants ('%(value)s') are more than all participants (%(participants)s). "
                       "Correct one of them."))
    CP302 = (ERROR, N_("The groups add up to %(groups)s but participants is '%(value)s'. Correct the groups or the "
                       "total."))
    CP303 = (ERROR, N_("The end date %(end)s is before the start date %(start)s. Correct one of them."))
    CP304 = (ERROR, N_("'%(value)s' is not a forum in the cpfs table. Use a cpf_id from that table, or leave the "
                       "cell empty."))
    CP305 = (WARNING, ngettext("%(count)s row is dated after the end of the period (%(end)s), this one; it is left "
                               "out of this period's figures.",
                               "%(count)s rows are dated after the end of the period (%(end)s), the first of them "
                               "here; they are left out of this period's figures."))
    CP306 = (ERROR, N_("On %(day)s for '%(scope)s', returned (%(returned)s) plus still displaced (%(current)s) is "
                       "more than displaced in all (%(cumulative)s). Check the three figures of that date."))
    CP307 = (WARNING, N_("For '%(scope)s', returned (%(returned)s, as of %(returned_on)s) plus still displaced "
                         "(%(current)s, as of %(current_on)s) is more than displaced in all (%(cumulative)s, as of "
                         "%(cumulative_on)s). The figures carry different dates, so this may be right; check "
                         "them."))
    CP308 = (WARNING, N_("The scope '%(value)s' has no label in the config; the report names it by its key. Add it "
                         "under [scopes] in the config."))
    CP309 = (ERROR, N_("The same figure is given in %(rows)s with different values (%(values)s) for '%(scope)s', "
                       "%(metric)s on %(day)s. Keep one."))
    CP310 = (WARNING, N_("The governorates' figures for '%(scope)s', %(metric)s on %(day)s, add up to %(added)s "
                         "(%(rows)s), more than the figure given here for the whole scope (%(whole)s), which is the "
                         "one the report states. Correct this figure or the governorates' figures."))
    CP311 = (WARNING, N_("The config highlights '%(value)s' ([[highlights]]), but no forum of the cpfs sheet stands "
                         "in a district of that name, so the release does not name it. Check how the sheet and the "
                         "config spell it."))
    # The narrative (the officer's own words for the month)
    CP401 = (WARNING, N_("The narrative still holds the example text that `cpreport init` wrote ('%(value)s'). "
                         "Write the month's own news in its place."))
    CP402 = (WARNING, N_("The narrative is empty, so the report has only its figures. Write the month's news in "
                         "it."))
    CP403 = (WARNING, N_("The %(language)s narrative of %(period)s is missing: %(reason)s."))
    CP404 = (WARNING, N_("The report for %(period)s was built with the narrative of its time, and its figures have "
                         "changed since: it is built again from its figures alone. To give it words of its own, write "
                         "them in %(expected)s."))
    CP405 = (ERROR, N_("This narrative has no %(value)s, which the other language's narrative has: the report would "
                       "give that paragraph of figures in one language only. Add %(value)s where it goes in this file, "
                       "or remove it from the other."))
    CP406 = (ERROR, N_("%(value)s is not one of the markers that place a paragraph of figures ([[forums]], "
                       "[[activities]], [[displacement]]), so the report would print it as it is. Did you mean "
                       "%(near)s?"))
    CP407 = (ERROR, N_("%(value)s places its paragraph of figures only on a line of its own; here it is inside a line "
                       "of text, and the report would print it as it is. Put it on a line by itself."))
    CP408 = (WARNING, N_("%(value)s is in this narrative %(count)s times, so its paragraph of figures would be printed "
                         "%(count)s times. Keep one."))
    CP409 = (ERROR, N_("'%(value)s' opens a figure that no '}' closes on its line, so the report would print it as "
                       "it is. Close it: {%(key)s}."))
    CP410 = (WARNING, N_("The folder %(file)s is not named as a period, so no report reads the words in it. Name it "
                         "%(expected)s."))
    # Published figures (cpreport/revisions.py)
    CP501 = (WARNING, N_("%(key)s of %(period)s was published as %(published)s and the sheets now give %(now)s: "
                         "%(changes)s. If the change is right, build %(period)s again so that its report states the "
                         "revised figure (give the reason under [revisions.\"%(period_key)s\"] in the config)."))

    CP503 = (WARNING, N_("The report for %(period)s as it was sent showed other numbers in %(parts)s than the sheets "
                         "now give, though none of its counted figures changed: it states the new ones now, and the "
                         "report as sent is kept as %(kept)s."))
    CP502 = (WARNING, N_("%(file)s was changed after it was built (edited and saved in place?), and this build put a "
                         "new report in its place: the changed copy is kept as %(kept)s. Edit a copy outside the "
                         "output folder, which builds replace."))

    @property
    def severity(self) -> str:
        return self.value[0]

    @property
    def template(self) -> str | Plural:
        """The English message: the msgid of the catalogs (a Plural for a message with plural forms)."""
        return self.value[1]


# Why a sheet or file was not read (CP020, CP023): the keys a finding keeps, and their English words.
REASONS = {
    "empty": N_("it is empty"),
    "hidden_sheet": N_("the sheet is hidden in the workbook and names no table's columns"),
    "no_table": N_("its first rows name no table's columns (instructions or a summary?); if it holds data, head its "
                   "columns as the cpfs, activities or displacement table does"),
    "other_sheet": N_("the config names another sheet of this file to read"),
    "repeat_group": N_("it holds a repeat group of a KoboToolbox or ODK export (a row for each person or item of a "
                       "form's record, tied to it by _parent_index or PARENT_KEY); the report counts the forms' "
                       "rows, read from the export's main sheet or file"),
    "hidden": N_("hidden files (a name starting with a dot: a program's leftover, or a lock file) are not read; if "
                 "one is a sheet, save it under a name without the dot"),
    "hidden_folder": N_("the folder is hidden (its name starts with a dot), so the sheets in it are not read; if "
                        "they are data, rename the folder without the dot"),
    "broken_link": N_("it is a link to a file that is not there"),
    "bad_name": N_("its name is not text a program can read back (bytes of another encoding, as an old archive or "
                   "another system writes them), so it cannot be named in the report; rename it"),
    "link_loop": N_("it is a link to a folder it is itself in (the data folder, or a folder above it), so it is not "
                    "followed: its sheets are read once, where they are"),
    "folder": N_("it is a folder, not a file"),
    "not_a_file": N_("it is not a regular file"),
    "vanished": N_("it disappeared while it was being read"),
    "too_deep": N_("the folder is more than three folders deep inside the data folder; move its files up"),
    "output_folder": N_("it is the output folder of an earlier build (it holds .cpreport), so its files are "
                        "reports, not sheets; move it out of the data folder"),
    # A narrative of the month missing (CP403)
    "no_narrative_file": N_("the config names no file for it"),
    "shared_narrative": N_("the file shared by every month is used instead; add %(expected)s"),
}
