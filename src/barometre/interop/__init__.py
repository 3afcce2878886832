"""Data in and out of Baromètre, in the formats of the tools of the field.

- `exports`: a wave's responses, item scores, organisation scores and sector estimates as CSV,
  French-Excel CSV, XLSX with a codebook, SPSS `.sav`, Stata `.dta` and Parquet;
- `xlsform` and `surveyjs`: the questionnaire as an XLSForm workbook (ODK, KoboToolbox) or a
  SurveyJS JSON form, written and read back;
- `odk_submissions` and `surveyjs_results`: answers collected elsewhere, read into the
  responses format with a mapping report (`mapping`);
- `versions`: what changed between two questionnaires, and what stays comparable;
- `opendata`: a published wave as a Frictionless Data Package.

Like the rest of the core, nothing here knows the web: the CLI, the web application and the
REST API are thin shells over these functions.
"""
