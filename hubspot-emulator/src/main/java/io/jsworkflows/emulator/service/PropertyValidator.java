package io.jsworkflows.emulator.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.jsworkflows.emulator.config.EmulatorConfig;

/**
 * Checks the properties of a create or update as HubSpot does (facts file §7): unknown names get
 * PROPERTY_DOESNT_EXIST, and enumerations (pipelines, stages, {@code lifecyclestage}) get INVALID_OPTION naming the
 * allowed values. Deals and tickets created without a pipeline or stage get the defaults here, since the stage check
 * needs them.
 */
@ApplicationScoped
public class PropertyValidator {

    private static final List<String> LIFECYCLE_STAGES = List.of("subscriber", "lead", "marketingqualifiedlead",
            "salesqualifiedlead", "opportunity", "customer", "evangelist", "other");

    private final Portals portals;
    private final Pipelines pipelines;
    private final EmulatorConfig config;

    public PropertyValidator(Portals portals, Pipelines pipelines, EmulatorConfig config) {
        this.portals = portals;
        this.pipelines = pipelines;
        this.config = config;
    }

    /** Validates a create input without writing anything (batch create checks every input first). */
    public void check(Portal portal, ObjectType type, Map<String, Object> input) {
        validated(portal, type, input, null);
    }

    /**
     * Checks names and enumeration values; returns the values as strings. For a create ({@code current == null}) deals
     * and tickets get their default pipeline and first stage when none is given.
     */
    TreeMap<String, String> validated(Portal portal, ObjectType type, Map<String, Object> input, CrmObject current) {
        TreeMap<String, String> props = new TreeMap<>();
        List<HubSpotErrors.PropertyError> errors = null;
        if (input != null) {
            for (var e : input.entrySet()) {
                String name = e.getKey();
                if (!portals.propertyExists(type, name)) {
                    if (errors == null) {
                        errors = new ArrayList<>();
                    }
                    errors.add(new HubSpotErrors.PropertyError(name, "PROPERTY_DOESNT_EXIST",
                            "Property \"" + name + "\" does not exist"));
                    continue;
                }
                if (ObjectType.CALCULATED.contains(name)) {
                    continue;
                }
                Object v = e.getValue();
                String s = v == null ? "" : v.toString();
                if (current == null && s.isEmpty()) {
                    continue;
                }
                props.put(name, s);
            }
        }
        if (errors == null) {
            errors = enumErrors(type, props, current);
        }
        if (errors != null && !errors.isEmpty()) {
            throw HubSpotErrors.propertyErrors(errors, portal.id());
        }
        return props;
    }

    private List<HubSpotErrors.PropertyError> enumErrors(ObjectType type, TreeMap<String, String> props, CrmObject current) {
        List<HubSpotErrors.PropertyError> errors = new ArrayList<>(0);
        if (type == ObjectType.CONTACTS) {
            String ls = props.get("lifecyclestage");
            if (ls != null && !ls.isEmpty() && !LIFECYCLE_STAGES.contains(ls)) {
                errors.add(invalidOption("lifecyclestage", ls, LIFECYCLE_STAGES.stream()
                        .map(x -> new String[] {x.substring(0, 1).toUpperCase(Locale.ROOT) + x.substring(1), x}).toList()));
            }
            return errors;
        }
        Map<String, Pipelines.Pipeline> ps = pipelines.forType(type);
        if (ps == null) {
            return errors;
        }
        String pipelineProp = type == ObjectType.DEALS ? "pipeline" : "hs_pipeline";
        String stageProp = type == ObjectType.DEALS ? "dealstage" : "hs_pipeline_stage";
        String pipelineId = props.get(pipelineProp);
        if (pipelineId == null || pipelineId.isEmpty()) {
            pipelineId = current == null ? ps.keySet().iterator().next() : current.properties().get(pipelineProp);
            if (current == null) {
                props.put(pipelineProp, pipelineId);
            }
        }
        Pipelines.Pipeline p = ps.get(pipelineId);
        if (p == null) {
            errors.add(invalidOption(pipelineProp, pipelineId, ps.values().stream()
                    .map(x -> new String[] {x.label(), x.id()}).toList()));
            return errors;
        }
        String stage = props.get(stageProp);
        if (stage == null || stage.isEmpty()) {
            if (current == null) {
                props.put(stageProp, p.stages().getFirst().id());
                return errors;
            }
            if (!props.containsKey(pipelineProp)) {
                return errors;
            }
            stage = current.properties().get(stageProp);
        }
        if (stage != null && p.stage(stage) == null) {
            errors.add(invalidOption(stageProp, stage, p.stages().stream().map(s -> new String[] {s.label(), s.id()}).toList()));
        }
        return errors;
    }

    /** HubSpot's INVALID_OPTION: the message dumps the allowed options (label/value pairs). */
    private HubSpotErrors.PropertyError invalidOption(String property, String value, List<String[]> options) {
        StringBuilder m = new StringBuilder(value).append(" was not one of the allowed options: [");
        boolean yaml = !"short".equalsIgnoreCase(config.validation().invalidOptionMessage());
        for (int i = 0; i < options.size(); i++) {
            String[] o = options.get(i);
            if (yaml) {
                m.append("label: \"").append(o[0]).append("\"\nvalue: \"").append(o[1]).append("\"\ndisplay_order: ").append(i)
                        .append("\nhidden: false\nread_only: false\n");
                if (i < options.size() - 1) {
                    m.append(", ");
                }
            } else {
                m.append(i > 0 ? ", " : "").append(o[1]);
            }
        }
        m.append(']');
        return new HubSpotErrors.PropertyError(property, "INVALID_OPTION", m.toString());
    }
}
