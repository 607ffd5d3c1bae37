-- The learning loop kept its own copy of every QC override (who, why, which rule) beside qc_result,
-- which already holds them. It now reads them from qc_result, so the copy goes.
drop table qc_override;
