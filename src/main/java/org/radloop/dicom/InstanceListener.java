package org.radloop.dicom;

/** Where the SCP hands each received instance; the consumer runs the route here. */
interface InstanceListener {

    /**
     * Called after the instance is durably stored and before the C-STORE response is sent; an
     * exception turns the response into a failure status.
     */
    void stored(ReceivedInstance instance) throws Exception;

    /** Called after an instance was refused and quarantined; the refusal stands whatever happens here. */
    void quarantined(ReceivedInstance instance);
}
