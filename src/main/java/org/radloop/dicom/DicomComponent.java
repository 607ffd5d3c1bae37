package org.radloop.dicom;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code dicom:} component: a storage SCP as consumer ({@code dicom:scp}) and C-ECHO, C-STORE,
 * C-FIND and C-MOVE as producer operations ({@code dicom:echo|store|find|move}), built on PixelMed.
 * Registered through {@code META-INF/services/org/apache/camel/component/dicom}.
 */
@Component("dicom")
public class DicomComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        DicomEndpoint endpoint = new DicomEndpoint(uri, this);
        endpoint.setOperation(remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
