package io.jsworkflows.refresher.support;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;

import io.jsworkflows.refresher.config.RefresherConfig;

/**
 * Builds a {@link RefresherConfig} for a replica created outside CDI (a second replica in a test, the benchmark):
 * values by path ({@code "refresher.groupId"}, {@code "hubspot.clientSecret"}), the rest from {@code base}.
 */
public final class Configs {

    private Configs() {
    }

    public static RefresherConfig override(RefresherConfig base, Map<String, Object> values) {
        return proxy(RefresherConfig.class, base, "", values);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Object base, String prefix, Map<String, Object> values) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            if (m.getDeclaringClass() == Object.class) {
                return m.getName().equals("toString") ? type.getSimpleName() + "(test)" : m.invoke(base == null ? values : base, args);
            }
            String key = prefix + m.getName();
            Class<?> ret = m.getReturnType();
            if (ret.isInterface() && ret.getDeclaringClass() == RefresherConfig.class) {
                return proxy(ret, base == null ? null : call(m, base), key + ".", values);
            }
            if (values.containsKey(key)) {
                Object v = values.get(key);
                return ret == Optional.class ? Optional.ofNullable(v) : v;
            }
            if (base == null) {
                throw new IllegalStateException("no test value for " + key);
            }
            return call(m, base);
        });
    }

    private static Object call(Method m, Object target) throws Throwable {
        try {
            return m.invoke(target);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
