"""The load stage: find the tables in the data folder and read them, part by part, as raw sheets.

discovery.py drives it, file by file; each file's bytes go through these steps in this order:
  limits     what the file declares and holds, checked before anything is allocated (xlsx.py, xls.py count
             a workbook's records; ods.py reads an OpenDocument's marks)
  grids      the file's bytes as its sheets' grids of cells: text (text.py) or workbook (workbooks.py)
  headers    the header row of each sheet, and the contract's column each header names
  parts      each sheet as one part of its table: columns named, cells tidied (tidying.py), an export's
             choices and reviewers' marks told (exports.py), rows numbered
  stacking   each row keyed by its part (file, sheet, row), for validate to stack a table's parts as one
sheets.py holds what the stage hands on (Sheet, Loaded); fastpath.py the speed code for large CSVs, apart
from these rules.
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
