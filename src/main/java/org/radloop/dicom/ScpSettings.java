package org.radloop.dicom;

/** What a storage SCP needs from its endpoint, fixed when the consumer starts. */
record ScpSettings(String host, int port, String aeTitle, int maxAssociations, int maxPduSize, int idleTimeoutMillis,
                   CallingAeTitlePolicy callingAeTitlePolicy) {
}
