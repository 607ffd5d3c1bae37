package org.radloop.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.radloop.config.ConfigProblem;
import org.radloop.config.FacilityConfig;
import org.radloop.config.FacilityRegistry;

/**
 * The facilities this engine serves as they are running now, and the configuration files it refused
 * with every problem (file, line, field, reason), so an analyst onboarding a site can see at once
 * whether their file was taken.
 */
final class FacilityListing {

    record Hl7Identity(List<String> sendingApplications, List<String> sendingFacilities, String version) {
    }

    record FacilityView(String id, String name, String timeZone, String jurisdiction, Hl7Identity hl7,
                        List<String> aeTitles, String codeMappings, int codeMapSize, String file) {
    }

    record Problem(String file, int line, String field, String message) {
        static Problem of(ConfigProblem p) {
            return new Problem(String.valueOf(p.file()), p.line(), p.field(), p.message());
        }
    }

    record RefusedFile(String file, List<Problem> problems) {
    }

    record Listing(List<FacilityView> facilities, List<RefusedFile> refused) {
    }

    private final FacilityRegistry registry;

    FacilityListing(FacilityRegistry registry) {
        this.registry = registry;
    }

    Listing list() {
        List<FacilityView> views = new ArrayList<>();
        for (FacilityRegistry.Loaded f : registry.all()) {
            FacilityConfig c = f.config();
            Hl7Identity hl7 = c.hl7() == null ? null
                    : new Hl7Identity(c.hl7().sendingApplications(), c.hl7().sendingFacilities(), c.hl7().version());
            List<String> aeTitles = c.dicom() == null || c.dicom().callingAeTitles() == null ? List.of() : c.dicom().callingAeTitles();
            views.add(new FacilityView(c.id(), c.name(), c.timeZone(), c.jurisdiction(), hl7, aeTitles,
                    c.codeMappings(), f.codes().size(), String.valueOf(f.file().getFileName())));
        }
        views.sort(Comparator.comparing(FacilityView::id));
        return new Listing(views, refused(registry));
    }

    static List<RefusedFile> refused(FacilityRegistry registry) {
        List<RefusedFile> out = new ArrayList<>();
        for (Map.Entry<Path, List<ConfigProblem>> e : registry.refused().entrySet()) {
            out.add(new RefusedFile(String.valueOf(e.getKey()), e.getValue().stream().map(Problem::of).toList()));
        }
        out.sort(Comparator.comparing(RefusedFile::file));
        return out;
    }
}
