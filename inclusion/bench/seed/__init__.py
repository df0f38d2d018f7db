"""The national-scale data set of the benchmark (`manage.py seed_national`).

- `text.py`: names, streets and the French texts the rows carry;
- `loading.py`: rows written as COPY text to temporary files, then loaded with PostgreSQL COPY (secondary indexes and
  foreign keys dropped around the load, then rebuilt and validated);
- `world.py`: reference data read once, identifiers, dates and the random streams;
- `organizations.py`: companies, conventions, job descriptions, prescriber organizations, their members;
- `stories.py`: job seekers and what happens to them (applications, diagnoses, PASS IAE, follow-ups);
- `fixed.py`: the accounts the benchmark logs in with, whatever the scale;
- `run.py`: the checks, the order of the work and the report.
"""
