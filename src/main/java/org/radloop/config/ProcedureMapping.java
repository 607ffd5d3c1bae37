package org.radloop.config;

/**
 * What a facility's procedure code means in RadLoop's own terms: which RadLoop procedure, and so
 * which modality, body part, laterality, subspecialty and report template.
 */
public record ProcedureMapping(String procedureId, String modality, String bodyPart, String laterality,
                               String subspecialty, String reportTemplate) {
}
