"""The load stage: find the tables in the data folder and read them, part by part, as raw sheets.

The data flows through its modules in this order:
  discovery  which files and sheets of the data folder make which table (and which are not read, and why)
  grids      a file's bytes as its sheets' grids of cells: text (text.py) or workbook (workbooks.py)
  headers    the header row of each sheet, and the contract's column each header names
  parts      each sheet as one part of its table: columns named, cells tidied (tidying.py), rows numbered
  stacking   the parts of a table stacked into one, each row keeping its file, sheet and row
fastpath.py holds the speed code for large CSVs, apart from these rules.
"""
from .discovery import load, read_file, table_named
from .grids import read_grids
from .parts import to_sheet
from .sheets import ROW, SPREADSHEETS, FileRead, Loaded, Sheet, Unreadable
from .text import ARROW_TEXT, arrow_array, arrow_text, decoded, delimiter
from .tidying import text_cells
from .fastpath import plain_digits, repeats_itself, text_bytes

__all__ = ["ARROW_TEXT", "ROW", "SPREADSHEETS", "FileRead", "Loaded", "Sheet", "Unreadable", "arrow_array",
           "arrow_text", "decoded", "delimiter", "load", "plain_digits", "read_file", "read_grids", "repeats_itself",
           "table_named", "text_bytes", "text_cells", "to_sheet"]
