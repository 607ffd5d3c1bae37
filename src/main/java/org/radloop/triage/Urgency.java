package org.radloop.triage;

/** The urgency class a triaged study is worked in. */
public enum Urgency { CRITICAL, URGENT, ROUTINE }
