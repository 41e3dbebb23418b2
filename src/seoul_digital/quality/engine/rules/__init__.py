"""Value rules by domain. Each column kind has a ``ColumnRule`` whose ``evaluate(text)``
returns a :class:`~seoul_digital.quality.engine.rules.base.Verdict`; the checker evaluates
each distinct value once and multiplies by its count, which is what makes it fast."""
