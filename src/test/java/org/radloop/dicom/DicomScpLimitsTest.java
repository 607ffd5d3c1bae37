package org.radloop.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.pixelmed.dicom.SOPClass;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.PresentationContext;
import java.nio.file.Path;
import java.util.LinkedList;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.support.DcmtkTool;
import org.radloop.support.TestEngine;

/** maxAssociations and idleTimeout on a real SCP with real peers. */
class DicomScpLimitsTest {

    @TempDir
    Path work;

    @Test
    void refusesAssociationsOverTheLimitAndDropsIdleOnes() throws Exception {
        int port = TestEngine.freePort();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("dicom:scp?aeTitle=RADLOOP&host=127.0.0.1&port=" + port + "&storageDir=" + work.resolve("dicom")
                            + "&maxAssociations=1&idleTimeout=1000").log("unused");
                }
            });
            camel.start();

            LinkedList<PresentationContext> contexts = new LinkedList<>();
            contexts.add(new PresentationContext((byte) 1, SOPClass.Verification, TransferSyntaxes.IMPLICIT_LITTLE_ENDIAN));
            // Holds the only slot and then says nothing; stopping the context closes it if the test fails early.
            Association idle = AssociationFactory.createNewAssociation("127.0.0.1", port, "RADLOOP", "HOLDER", contexts, null, false);
            assertThat(idle.getCalledAETitle()).isEqualTo("RADLOOP");

            DcmtkTool.Result second = DcmtkTool.run("echoscu", "-aet", "CT1", "-aec", "RADLOOP", "127.0.0.1", Integer.toString(port));
            assertThat(second.succeeded()).isFalse();
            assertThat(second.output()).contains("Rejected Transient").contains("Local Limit Exceeded");

            // The idle association is dropped after idleTimeout, which frees the slot.
            await().atMost(10, TimeUnit.SECONDS).pollInterval(300, TimeUnit.MILLISECONDS).until(() ->
                    DcmtkTool.run("echoscu", "-aet", "CT1", "-aec", "RADLOOP", "127.0.0.1", Integer.toString(port)).succeeded());
        }
    }
}
