package io.memsync.document;

import static io.memsync.document.Fixture.json;
import static io.memsync.document.Fixture.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import jakarta.json.JsonValue;

import io.memsync.MemSyncException;

import org.junit.jupiter.api.Test;

class FiltersAndPathsTest {

    private static final JsonValue DOC = json("{'a':1,'b':{'c':'x'},'tags':['p','q'],"
            + "'items':[{'n':'i1','v':3},{'n':'i2','v':8}],'z':null}");

    private static boolean m(String filter) {
        return Filters.matches(DOC, obj(filter));
    }

    @Test
    void filters() {
        assertThat(m("{'a':1,'b.c':'x'}")).isTrue();
        assertThat(m("{'a':1.0}")).isTrue();
        assertThat(m("{'a':2}")).isFalse();
        assertThat(m("{'tags':'q'}")).isTrue();
        assertThat(m("{'tags':['p','q']}")).isTrue();
        assertThat(m("{'items.n':'i2'}")).isTrue();
        assertThat(m("{'items.v':{'$gt':5}}")).isTrue();
        assertThat(m("{'items.v':{'$gt':9}}")).isFalse();
        assertThat(m("{'items.1.v':8}")).isTrue();
        assertThat(m("{'a':{'$gte':1,'$lt':2}}")).isTrue();
        assertThat(m("{'a':{'$gt':'0'}}")).isFalse();
        assertThat(m("{'a':{'$ne':2},'b.c':{'$in':['x','y']}}")).isTrue();
        assertThat(m("{'a':{'$nin':[1]}}")).isFalse();
        assertThat(m("{'a':{'$lte':0}}")).isFalse();
        assertThat(m("{'a':{'$eq':1}}")).isTrue();
        assertThat(m("{'q':{'$exists':false},'a':{'$exists':true},'z':{'$exists':true}}")).isTrue();
        assertThat(m("{'$or':[{'a':2},{'b.c':'x'}]}")).isTrue();
        assertThat(m("{'$and':[{'a':1},{'b.c':'y'}]}")).isFalse();
        assertThat(m("{'$nor':[{'a':2},{'b.c':'y'}]}")).isTrue();
        assertThat(m("{'missing':{'$ne':1}}")).isTrue();
        assertThatThrownBy(() -> m("{'a':{'$regex':'x'}}")).isInstanceOf(MemSyncException.class);
        assertThatThrownBy(() -> m("{'$or':{}}")).isInstanceOf(MemSyncException.class);
    }

    @Test
    void nullMatchesMissingAsInMongoDb() {
        JsonValue doc = json("{'a':1,'n':null,'arr':[{'b':1},{'c':1}],'nums':[1,2],'s':5}");
        java.util.function.Predicate<String> mm = f -> Filters.matches(doc, obj(f));
        assertThat(mm.test("{'missing':null}")).isTrue();
        assertThat(mm.test("{'n':null}")).isTrue();
        assertThat(mm.test("{'a':null}")).isFalse();
        assertThat(mm.test("{'missing':{'$eq':null}}")).isTrue();
        assertThat(mm.test("{'missing':{'$in':[null,3]}}")).isTrue();
        assertThat(mm.test("{'missing':{'$ne':null}}")).isFalse();
        assertThat(mm.test("{'n':{'$ne':null}}")).isFalse();
        assertThat(mm.test("{'a':{'$ne':null}}")).isTrue();
        assertThat(mm.test("{'missing':{'$nin':[null]}}")).isFalse();
        assertThat(mm.test("{'missing':{'$gte':null}}")).isTrue();
        assertThat(mm.test("{'missing':{'$lte':null}}")).isTrue();
        assertThat(mm.test("{'missing':{'$gt':null}}")).isFalse();
        assertThat(mm.test("{'a.b':null}")).isTrue(); // a path through a scalar is missing
        assertThat(mm.test("{'arr.b':null}")).isTrue(); // one element lacks b
        assertThat(mm.test("{'arr.b':{'$ne':null}}")).isFalse();
        assertThat(mm.test("{'arr.b':{'$exists':true}}")).isTrue();
        assertThat(mm.test("{'nums.b':null}")).isFalse(); // non-document elements contribute nothing
        assertThat(mm.test("{'nums.5':null}")).isTrue();
        assertThat(mm.test("{'arr.0':null}")).isFalse();
        assertThat(mm.test("{'$or':[{'missing':null},{'a':2}]}")).isTrue();
    }

    @Test
    void arrayOperators() {
        assertThat(m("{'items':{'$elemMatch':{'n':'i2','v':{'$gt':5}}}}")).isTrue();
        assertThat(m("{'items':{'$elemMatch':{'n':'i1','v':{'$gt':5}}}}")).isFalse();
        assertThat(m("{'tags':{'$elemMatch':{'$gte':'q'}}}")).isTrue();
        assertThat(m("{'tags':{'$elemMatch':{'x':1}}}")).isFalse();
        assertThat(m("{'a':{'$elemMatch':{'$eq':1}}}")).isFalse();
        assertThat(m("{'tags':{'$size':2}}")).isTrue();
        assertThat(m("{'tags':{'$size':1}}")).isFalse();
        assertThat(m("{'tags':{'$all':['q','p']}}")).isTrue();
        assertThat(m("{'tags':{'$all':['q','r']}}")).isFalse();
        assertThat(m("{'a':{'$not':{'$gt':1}}}")).isTrue();
        assertThat(m("{'a':{'$not':{'$lt':2}}}")).isFalse();
        assertThatThrownBy(() -> m("{'tags':{'$size':-1}}")).isInstanceOf(MemSyncException.class);
    }

    @Test
    void pathsGet() {
        assertThat(Paths.get(DOC, "")).isSameAs(DOC);
        assertThat(Paths.get(DOC, "b.c")).isEqualTo(Json.createValue("x"));
        assertThat(Paths.get(DOC, "items.1.n")).isEqualTo(Json.createValue("i2"));
        assertThat(Paths.get(DOC, "items.7.n")).isNull();
        assertThat(Paths.get(DOC, "a.b")).isNull();
        assertThat(Paths.get(DOC, "z")).isEqualTo(JsonValue.NULL);
    }

    @Test
    void pathsOverlap() {
        assertThat(Paths.overlap("a", "a")).isTrue();
        assertThat(Paths.overlap("a", "a.b")).isTrue();
        assertThat(Paths.overlap("a.b.c", "a.b")).isTrue();
        assertThat(Paths.overlap("a.b", "a.c")).isFalse();
        assertThat(Paths.overlap("ab", "a")).isFalse();
        assertThat(Paths.overlap("a.$[].b", "a.3.b")).isTrue();
        assertThat(Paths.overlap("a.$[].b", "a.3.c")).isFalse();
        assertThat(Paths.overlap("a.", "a")).isTrue();
        assertThat(Paths.overlap("a.", "a.b")).isFalse();
        assertThat(Paths.overlap("", "a")).isTrue(); // "" is the whole document, as in Paths.get
        assertThat(Paths.overlap("a.b", "")).isTrue();
        assertThat(Paths.overlap("", "")).isTrue();
    }

    @Test
    void pathsOverlapSegmentBySegment() {
        // against the definition: the common leading segments are pairwise equal or one of them is $[]
        java.util.Random r = new java.util.Random(3);
        String[] segs = {"a", "b", "ab", "$[]", "0", "", "$[", "a$[]"};
        for (int n = 0; n < 20_000; n++) {
            String a = path(r, segs);
            String b = path(r, segs);
            String[] sa = a.split("\\.", -1);
            String[] sb = b.split("\\.", -1);
            boolean expected = true; // the whole document ("") overlaps every path
            for (int i = 0; !a.isEmpty() && !b.isEmpty() && i < Math.min(sa.length, sb.length); i++) {
                expected &= sa[i].equals(sb[i]) || sa[i].equals("$[]") || sb[i].equals("$[]");
            }
            assertThat(Paths.overlap(a, b)).as("%s ~ %s", a, b).isEqualTo(expected);
        }
    }

    private static String path(java.util.Random r, String[] segs) {
        StringBuilder sb = new StringBuilder(segs[r.nextInt(segs.length)]);
        for (int i = r.nextInt(4); i > 0; i--) {
            sb.append('.').append(segs[r.nextInt(segs.length)]);
        }
        return sb.toString();
    }

    @Test
    void pathsValidate() {
        Paths.validate("a.b.0.$[]");
        for (String bad : new String[] {"", "a..b", ".a", "a.", "x".repeat(1001), "a.$x"}) {
            assertThatThrownBy(() -> Paths.validate(bad)).isInstanceOfSatisfying(MemSyncException.class, e -> {
                assertThat(e.code()).isEqualTo(MemSyncException.ERR_INVALID_PATCH);
                assertThat(e.getMessage()).contains(bad.length() > 40 ? bad.substring(0, 40) : "'" + bad + "'");
            });
        }
    }

    @Test
    void bsonOrder() {
        String[] ascending = {"null", "-5", "1", "1.5", "2", "''", "'a'", "'b'", "{}", "{'a':1}", "[]", "[1]",
            "false", "true"};
        for (int i = 0; i + 1 < ascending.length; i++) {
            assertThat(JsonValues.compare(json(ascending[i]), json(ascending[i + 1])))
                    .as(ascending[i] + " < " + ascending[i + 1]).isNegative();
            assertThat(JsonValues.compare(json(ascending[i + 1]), json(ascending[i]))).isPositive();
        }
        assertThat(JsonValues.compare(json("2"), json("2.0"))).isZero();
        // objects: per pair, the value's type first, then the name, then the value
        assertThat(JsonValues.compare(json("{'c':1}"), json("{'b':'x'}"))).isNegative();
        assertThat(JsonValues.compare(json("{'b':1}"), json("{'c':1}"))).isNegative();
        assertThat(JsonValues.compare(json("{'b':2}"), json("{'b':1,'c':1}"))).isPositive();
        assertThat(JsonValues.compare(json("{'b':1}"), json("{'b':1,'c':1}"))).isNegative();
        assertThat(JsonValues.compare(json("9223372036854775808"), json("9223372036854775807"))).isPositive();
    }

    @Test
    void pointersBecomeDottedPathsWithTheirEscapesUndone() {
        assertThat(Paths.dotted("")).isEmpty();
        assertThat(Paths.dotted("/a/b/0")).isEqualTo("a.b.0");
        assertThat(Paths.dotted("/a~1b/c~0d")).isEqualTo("a/b.c~d");
        assertThat(Paths.dotted("/~01")).isEqualTo("~1");
        // a key holding '/' is one segment: it overlaps itself and its parent, not a sibling of its first half
        assertThat(Paths.overlap(Paths.dotted("/x/a~1b"), "x.a/b")).isTrue();
        assertThat(Paths.overlap(Paths.dotted("/x/a~1b"), "x.a")).isFalse();
        assertThatThrownBy(() -> Paths.dotted("a/b")).isInstanceOf(IllegalArgumentException.class);
    }
}
