"""The application layer: what every command does around the pipeline.

- :mod:`.files`   atomic writes with the user's umask, atomic swap of a whole folder;
- :mod:`.inputs`  files, folders and globs -> the input files, with a word for what was skipped;
- :mod:`.naming`  one naming rule for outputs (collision-safe ``doc_id``), names that cannot
                  leave the output folder;
- :mod:`.policy`  the per-file error policy and the exit codes every command shares;
- :mod:`.batch`   the corpus runner (resumable, content-identified, signal-safe);
- :mod:`.commands` plain functions behind the CLI commands (extract, check, commitments,
                  import, export, view).

``cli.py`` declares typer options and calls these; nothing here prints except through the
``echo`` callbacks it is given. Modules import lazily: ``jixiao --help`` loads none of the
heavy libraries.
"""
