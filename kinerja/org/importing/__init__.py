"""Import of units, positions and employees from .xlsx or .csv.

The modules, in the order a file goes through them:

- `layout`: the sheets and their columns, and the downloadable template;
- `files`: checks on the uploaded file before it is parsed, and its storage;
- `parsing`: the rows of a sheet or CSV as text per column;
- `validation` and `plan`: every row checked against the file and the
  agency's data, and what would change (reads only);
- `apply`: the actions and background jobs that check (dry run) and apply a
  run, writing set-based in one transaction;
- `views`: admin BKD's pages; `bench`: the 20,000-row benchmark.

The layout (also in the downloadable template's "Petunjuk" sheet)
------------------------------------------------------------------
An .xlsx workbook with up to three sheets, named exactly "Unit", "Jabatan" and
"Pegawai" (other sheets, such as "Petunjuk", are ignored). Row 1 holds the
column names below (any order, case-insensitive); data starts on row 2; blank
rows are skipped. A .csv file holds ONE kind (units, positions or employees),
chosen on the upload form, with the same columns; it may be UTF-8 (with or
without BOM) or Windows-1252, separated by "," or ";". A CSV of positions or
employees refers to units/positions that must already exist (or be in the same
file, for a position's superior).

Unit:    kode*, nama*, jenis*, kode_induk, unit_mandiri
Jabatan: kode*, nama*, jenis*, jenjang, kode_unit*, kode_atasan, kepala_unit
Pegawai: nip*, nama*, gelar_depan, gelar_belakang, status* (PNS/PPPK), golongan,
         pangkat, kode_jabatan*, kode_unit, email, telepon, tmt_jabatan,
         kata_sandi_awal

Semantics
- Upsert: units and positions by `kode` within the agency, employees by NIP.
  Rows absent from the file are left alone (the import never deletes).
  A row describes the whole record: an empty optional cell empties the field.
- `kode_induk` / `kode_atasan` / `kode_unit` / `kode_jabatan` may name a row of
  the same file or an existing record of the agency; otherwise the row is an
  error ("missing superior", "unknown unit"). Cycles are errors.
- Employees: `kode_unit` defaults to the position's unit. A new employee gets
  an account (username = NIP). `kata_sandi_awal` (optional) sets that new
  account's initial password, checked against the password rules; without it
  the account has no usable password until an admin sets one. It is never
  applied to an existing account, so re-running a file changes nothing. The
  uploaded file is deleted once applied (it may hold passwords).
- A changed position is a definitive move starting `tmt_jabatan` (default:
  today): the previous assignment ends the day before, so history is kept;
  `tmt_jabatan` must be after the current assignment's start. For a new
  employee it is the start of the first assignment and of activity.
- An inactive employee (stopped) is an error: the import does not reactivate.
- Dates: a date cell, or text "2026-07-01", "01-07-2026", "01/07/2026".
  Yes/no: ya/tidak, y/t, 1/0, true/false. Choice columns accept the code
  ("jpt_pratama") or the label ("JPT Pratama").
- NIP must be text: an 18-digit number typed into a numeric cell loses digits
  in Excel, so a float NIP is refused with a hint; the template formats the
  column as text.

Files are checked by content before parsing: size (settings.IMPORT_MAX_BYTES),
empty file, extension vs content (`filetype` sniffing and the zip structure),
and for .xlsx the zip's directory is inspected BEFORE openpyxl opens it: the
declared uncompressed total and per-member compression ratio must be sane
(zip bombs), and the OOXML parts "[Content_Types].xml" and "xl/workbook.xml"
must exist (a .docx or random zip renamed .xlsx is refused). Python's zipfile
never inflates past a member's declared size, so the declared sizes bound the
work. All messages are Indonesian and name the sheet, row and column.
"""
