package org.radloop.dicom;

/** Where the SCP hands each received instance; the consumer runs the route here. */
interface InstanceListener {

    /**
     * Called once the instance's bytes are durable and its file is in place, and before the C-STORE
     * response is sent; an exception turns the response into a failure status. The rename into place
     * becomes durable meanwhile ({@link ReceivedInstance#durable()}): commit nothing about the file
     * before it completes.
     */
    void stored(ReceivedInstance instance) throws Exception;

    /** Called after an instance was refused and quarantined; the refusal stands whatever happens here. */
    void quarantined(ReceivedInstance instance);
}
