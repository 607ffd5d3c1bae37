package org.radloop.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.radloop.config.ConfigProblem;
import org.radloop.config.FacilityRegistry;
import org.radloop.config.RetryPolicy;
import org.radloop.config.SchemaValidator;
import org.radloop.support.TestEngine;

/**
 * Delivery channels in a facility file: the example facilities are valid, a channel missing what
 * its type needs or carrying a misspelt key is refused naming file, line and field, and a valid
 * entry reads back with its name, retry policy and defaults.
 */
class DeliveryConfigTest {

    @TempDir
    Path dir;

    @Test
    void shippedFacilitiesWithTheirDeliveryExamplesAreValid() {
        Path conf = TestEngine.projectHome().resolve("conf");
        FacilityRegistry shipped = new FacilityRegistry(conf.resolve("facilities"), TestEngine.projectHome().resolve("mappings"),
                new SchemaValidator(conf.resolve("schemas")));
        assertThat(shipped.check()).isEmpty();
        shipped.reload();
        assertThat(DeliveryChannel.of(shipped.byId("st-marys").orElseThrow().config()))
                .extracting(DeliveryChannel::type).contains(ChannelType.HL7_ORU, ChannelType.FHIR, ChannelType.EMAIL_PDF);
        assertThat(DeliveryChannel.of(shipped.byId("northgate-imaging").orElseThrow().config()))
                .allSatisfy(c -> assertThat(c.enabled()).isFalse());
    }

    @Test
    void aChannelWithoutItsDestinationOrWithAMisspeltKeyIsRefusedWithFileLineAndField() throws Exception {
        Path conf = DeliveryFixture.conf(dir.resolve("conf"), """
                - channel: hl7-oru
                  port: 6661
                - channel: sftp-pdf
                  host: files.example
                  username: u
                  directory: in
                  hots: typo.example
                - channel: fax
                """);
        Path file = conf.resolve("facilities/riverside.yaml");
        FacilityRegistry registry = new FacilityRegistry(conf.resolve("facilities"), TestEngine.projectHome().resolve("mappings"),
                new SchemaValidator(conf.resolve("schemas")));
        List<ConfigProblem> problems = registry.reload();
        assertThat(problems).isNotEmpty().allSatisfy(p -> assertThat(p.file()).isEqualTo(file));
        List<String> lines = Files.readAllLines(file);
        assertThat(problems).anySatisfy(p -> {
            assertThat(p.message()).contains("host");
            assertThat(lines.get(p.line() - 1)).contains("channel: hl7-oru");
        });
        assertThat(problems).anySatisfy(p -> {
            assertThat(p.field() + " " + p.message()).contains("delivery[1]").contains("'hots'");
            // the validator names the entry that carries the unknown key
            assertThat(lines.get(p.line() - 1)).contains("channel: sftp-pdf");
        });
        assertThat(problems).anySatisfy(p -> assertThat(lines.get(p.line() - 1)).contains("fax"));
        assertThat(registry.byId("riverside")).isEmpty();
    }

    @Test
    void aValidChannelReadsBackWithItsNameRetryPolicyAndDefaults() throws Exception {
        Path conf = DeliveryFixture.conf(dir.resolve("conf"), """
                - channel: hl7-oru
                  name: main-ris
                  host: ris.example
                  port: 6661
                  retry: {maxAttempts: 3, initialDelaySeconds: 10, multiplier: 3, maxDelaySeconds: 60}
                - channel: email-pdf
                  host: smtp.example
                  from: a@b.example
                  to: [c@d.example]
                """);
        FacilityRegistry registry = new FacilityRegistry(conf.resolve("facilities"), TestEngine.projectHome().resolve("mappings"),
                new SchemaValidator(conf.resolve("schemas")));
        assertThat(registry.reload()).isEmpty();
        List<DeliveryChannel> channels = DeliveryChannel.of(registry.byId("riverside").orElseThrow().config());
        DeliveryChannel ris = channels.get(0);
        assertThat(ris.name()).isEqualTo("main-ris");
        assertThat(ris.enabled()).isTrue();
        assertThat(ris.retry().delayAfter(1)).hasSeconds(10);
        assertThat(ris.retry().delayAfter(2)).hasSeconds(30);
        assertThat(ris.retry().delayAfter(3)).hasSeconds(60); // 90 s capped at the maximum
        assertThat(ris.retry().exhausted(2)).isFalse();
        assertThat(ris.retry().exhausted(3)).isTrue();
        DeliveryChannel mail = channels.get(1);
        assertThat(mail.name()).isEqualTo("email-pdf");
        assertThat(mail.text("security", "tls")).isEqualTo("tls");
        assertThat(mail.retry()).isEqualTo(RetryPolicy.DEFAULT);
    }
}
