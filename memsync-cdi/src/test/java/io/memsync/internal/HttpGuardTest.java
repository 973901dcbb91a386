package io.memsync.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The rules of {@link HttpGuard} on their own (HttpSafetyTest sends them to the real server). */
class HttpGuardTest {

    @Test
    void theHostsOfALoopbackListenerAreItsAddressAndLocalhostOnItsPort() {
        assertThat(HttpGuard.hostsFor("127.0.0.1", 8883, List.of()))
                .containsExactly("127.0.0.1:8883", "localhost:8883", "[::1]:8883");
        assertThat(HttpGuard.hostsFor("::1", 80, List.of("box"))).contains("[::1]:80", "localhost:80", "box");
        assertThat(HttpGuard.hostsFor("192.0.2.7", 80, List.of())).containsExactly("192.0.2.7:80");
    }

    @Test
    void aNameWithoutAPortMatchesAnyPortAndANameWithOneOnlyThatPort() {
        HttpGuard g = new HttpGuard(List.of("127.0.0.1:9", "box", "proxy:443", "[::1]"), List.of(), "t");
        assertThat(g.refusal("127.0.0.1:9", null, null)).isNull();
        assertThat(g.refusal("BOX:1234", null, null)).as("case-insensitive").isNull();
        assertThat(g.refusal("box", null, null)).isNull();
        assertThat(g.refusal("proxy:443", null, null)).isNull();
        assertThat(g.refusal("[::1]:5", null, null)).isNull();
        assertThat(g.refusal("proxy:444", null, null)).contains("proxy:444");
        assertThat(g.refusal("127.0.0.1:10", null, null)).isNotNull();
        assertThat(g.refusal("box.evil.example", null, null)).isNotNull();
        assertThat(g.refusal(null, null, null)).contains("without a Host");
        assertThat(g.refusal(" ", null, null)).contains("without a Host");
    }

    @Test
    void anOriginMustBeTheServersOwnOrAllowed() {
        HttpGuard g = new HttpGuard(List.of("127.0.0.1:9"), List.of("http://localhost:3000/"), "t");
        assertThat(g.refusal("127.0.0.1:9", "http://127.0.0.1:9", null)).isNull();
        assertThat(g.refusal("127.0.0.1:9", "http://localhost:3000", null)).as("trailing slash ignored").isNull();
        assertThat(g.refusal("127.0.0.1:9", "https://127.0.0.1:9", null)).isNotNull();
        assertThat(g.refusal("127.0.0.1:9", "http://127.0.0.1:9.evil.example", null)).isNotNull();
        assertThat(g.refusal("127.0.0.1:9", "null", null)).isNotNull();
        assertThat(g.refusal("127.0.0.1:9", null, "cross-site")).contains("cross-site");
        assertThat(g.refusal("127.0.0.1:9", null, "same-site")).isNull();
        assertThat(g.refusal("127.0.0.1:9", "http://127.0.0.1:9", "cross-site")).as("an allowed Origin decides").isNull();
    }

    @Test
    void onlyTheTokenAuthorizesAndAnEmptyOneNothing() {
        HttpGuard g = new HttpGuard(List.of(), List.of(), "s3cret-token-0123456");
        assertThat(g.authorized("Bearer s3cret-token-0123456")).isTrue();
        assertThat(g.authorized("bearer s3cret-token-0123456")).isTrue();
        assertThat(g.authorized("Bearer s3cret-token-012345")).isFalse();
        assertThat(g.authorized("Basic s3cret-token-0123456")).isFalse();
        assertThat(g.authorized(null)).isFalse();
        HttpGuard none = new HttpGuard(List.of(), List.of(), "");
        assertThat(none.authorized("Bearer ")).isFalse();
        assertThat(new HttpGuard(List.of(), List.of(), null).token()).as("generated").hasSizeGreaterThanOrEqualTo(40)
                .isNotEqualTo(new HttpGuard(List.of(), List.of(), null).token());
    }

    @Test
    void aProblemBodyHasTheRfc9457MembersAndTheCode() {
        var p = HttpGuard.problem(403, "ERR_FORBIDDEN", "no", 7);
        assertThat(p.keySet()).containsExactly("type", "title", "status", "detail", "code", "message", "version");
        assertThat(p.getString("type")).isEqualTo("urn:memsync:error:ERR_FORBIDDEN");
        assertThat(HttpGuard.status("ERR_UNAUTHORIZED")).isEqualTo(403);
        assertThat(HttpGuard.status("ERR_PRECONDITION")).isEqualTo(412);
    }
}
