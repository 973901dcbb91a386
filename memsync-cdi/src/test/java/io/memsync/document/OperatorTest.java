package io.memsync.document;

import static io.memsync.document.Fixture.fails;
import static io.memsync.document.Fixture.json;
import static io.memsync.document.Fixture.obj;
import static io.memsync.document.Fixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import jakarta.json.JsonNumber;

import io.memsync.Update;

import org.junit.jupiter.api.Test;

class OperatorTest {

    @Test
    void setReplacesKeepingPositionAndAppendsNewKeys() {
        var ev = ok("{'foo':1,'bar':2}", "{'$set':{'foo':2,'baz':3}}", "{'foo':2,'bar':2,'baz':3}");
        assertThat(ev.document().toString()).isEqualTo("{\"foo\":2,\"bar\":2,\"baz\":3}");
        assertThat(ev.paths()).containsExactly("foo", "baz");
        assertThat(ev.commutative()).isFalse();
    }

    @Test
    void setSameValueHasEmptyEffect() {
        var ev = ok("{'a':{'b':[1,2]}}", "{'$set':{'a':{'b':[1,2]}}}", "{'a':{'b':[1,2]}}");
        assertThat(ev.effect()).isEmpty();
    }

    @Test
    void setNestedCreatesIntermediateDocuments() {
        var ev = ok("{'x':1}", "{'$set':{'a.b.c':1}}", "{'x':1,'a':{'b':{'c':1}}}");
        assertThat(ev.effect()).hasSize(1);
        assertThat(ev.effect().getJsonObject(0).getString("path")).isEqualTo("/a");
    }

    @Test
    void setArrayIndexAndPadding() {
        ok("{'qux':['one','two']}", "{'$set':{'qux.1':'deux'}}", "{'qux':['one','deux']}");
        ok("{'a':[1,2]}", "{'$set':{'a.4':5}}", "{'a':[1,2,null,null,5]}");
        ok("{'a':[{'c':1},{'c':2}]}", "{'$set':{'a.1.c':3}}", "{'a':[{'c':1},{'c':3}]}");
        ok("{'a':[1]}", "{'$set':{'a.2.b':1}}", "{'a':[1,null,{'b':1}]}");
    }

    @Test
    void setNumericSegmentOnMissingCreatesDocument() {
        ok("{}", "{'$set':{'a.0.b':1}}", "{'a':{'0':{'b':1}}}");
    }

    @Test
    void setEscapesPointerCharacters() {
        var ev = ok("{}", "{'$set':{'a/b':1,'c~d':2}}", "{'a/b':1,'c~d':2}");
        assertThat(ev.effect().getJsonObject(0).getString("path")).isEqualTo("/a~1b");
        assertThat(ev.effect().getJsonObject(1).getString("path")).isEqualTo("/c~0d");
    }

    @Test
    void unset() {
        ok("{'a':1,'b':{'c':2,'d':3}}", "{'$unset':{'a':'','b.c':1,'zz':1,'b.q.r':1}}", "{'b':{'d':3}}");
        ok("{'a':[1,2,3]}", "{'$unset':{'a.1':''}}", "{'a':[1,null,3]}");
        ok("{'a':5}", "{'$unset':{'a.b':''}}", "{'a':5}");
    }

    @Test
    void incStaysIntegral() {
        var ev = ok("{'n':2}", "{'$inc':{'n':1}}", "{'n':3}");
        assertThat(ev.document().getJsonNumber("n").isIntegral()).isTrue();
        assertThat(ev.document().toString()).isEqualTo("{\"n\":3}");
        assertThat(ev.commutative()).isTrue();
        ok("{}", "{'$inc':{'a.b':-2}}", "{'a':{'b':-2}}");
    }

    @Test
    void incOverflowPromotes() {
        var ev = ok("{'n':2147483647}", "{'$inc':{'n':1}}", "{'n':2147483648}");
        assertThat(ev.document().getJsonNumber("n").longValue()).isEqualTo(2147483648L);
        ev = ok("{'n':9223372036854775807}", "{'$inc':{'n':1}}", "{'n':9223372036854775808}");
        assertThat(ev.document().getJsonNumber("n").bigIntegerValue()).hasToString("9223372036854775808");
        ev = ok("{'n':-9223372036854775808}", "{'$inc':{'n':-1}}", "{'n':-9223372036854775809}");
        assertThat(ev.document().getJsonNumber("n").bigIntegerValue()).hasToString("-9223372036854775809");
        ev = ok("{'n':4294967296}", "{'$inc':{'n':-4294967295}}", "{'n':1}");
        assertThat(ev.document().toString()).isEqualTo("{\"n\":1}");
    }

    @Test
    void incDecimal() {
        var ev = ok("{'n':1}", "{'$inc':{'n':1.5}}", "{'n':2.5}");
        assertThat(ev.document().toString()).isEqualTo("{\"n\":2.5}");
        ev = ok("{'n':0.5}", "{'$inc':{'n':0.5}}", "{'n':1.0}");
        assertThat(((JsonNumber) ev.document().get("n")).isIntegral()).isFalse();
    }

    @Test
    void mul() {
        ok("{'n':3}", "{'$mul':{'n':4}}", "{'n':12}");
        ok("{'n':1.5}", "{'$mul':{'n':2}}", "{'n':3.0}");
        ok("{}", "{'$mul':{'n':2}}", "{'n':0}");
        ok("{'n':4294967296}", "{'$mul':{'n':4294967296}}", "{'n':18446744073709551616}");
    }

    @Test
    void minMaxUseBsonOrder() {
        ok("{'a':5,'b':5}", "{'$min':{'a':3,'b':9}}", "{'a':3,'b':5}");
        ok("{'a':5,'b':5}", "{'$max':{'a':3,'b':9}}", "{'a':5,'b':9}");
        ok("{'a':5}", "{'$max':{'a':'x'}}", "{'a':'x'}");
        ok("{'a':5}", "{'$min':{'a':null}}", "{'a':null}");
        ok("{'a':true}", "{'$min':{'a':[1]}}", "{'a':[1]}");
        ok("{'a':2}", "{'$min':{'a':2.0}}", "{'a':2}");
        ok("{}", "{'$max':{'z':1}}", "{'z':1}");
    }

    @Test
    void rename() {
        var ev = ok("{'a':1,'b':{'c':2}}", "{'$rename':{'a':'b.d'}}", "{'b':{'c':2,'d':1}}");
        assertThat(ev.paths()).containsExactly("a", "b.d");
        ok("{'a':1}", "{'$rename':{'zz':'y'}}", "{'a':1}");
        ok("{'a':1,'b':2}", "{'$rename':{'a':'b'}}", "{'b':1}");
    }

    @Test
    void renameOfAMissingSourceIsANoOpWhateverTheTargetRunsThrough() {
        // MongoDB returns before it looks at the target: through an array, a scalar or null alike
        var ev = ok("{'arr':[{'x':1}],'s':1,'n':null}", "{'$rename':{'missing':'arr.0.x'}}",
                "{'arr':[{'x':1}],'s':1,'n':null}");
        assertThat(ev.effect()).isEmpty();
        ok("{'arr':[{'x':1}]}", "{'$rename':{'missing.deep':'arr.y'}}", "{'arr':[{'x':1}]}");
        ok("{'s':1}", "{'$rename':{'missing':'s.x'}}", "{'s':1}");
        ok("{'n':null}", "{'$rename':{'missing':'n.x'}}", "{'n':null}");
        // a present source still may not be renamed into an array, nor out of one
        fails("{'a':1,'arr':[{'x':1}]}", "{'$rename':{'a':'arr.0.y'}}", "$rename", "cannot traverse the array", "'arr'");
        fails("{'arr':[{'x':1}]}", "{'$rename':{'arr.0.x':'y'}}", "$rename", "cannot traverse the array", "'arr'");
    }

    @Test
    void currentDate() {
        Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        var ev = Fixture.check(obj("{}"), Update.of(obj("{'$currentDate':{'d':true,'t':{'$type':'timestamp'},"
                + "'e':{'$type':'date'}}}")), null);
        Instant d = Instant.parse(ev.document().getString("d"));
        assertThat(d).isBetween(before, Instant.now());
        Instant.parse(ev.document().getString("e"));
        assertThat(ev.document().getJsonNumber("t").isIntegral()).isTrue();
        assertThat(ev.document().getJsonNumber("t").longValue()).isGreaterThanOrEqualTo(before.toEpochMilli());
    }

    @Test
    void setOnInsertIsNoOp() {
        var ev = ok("{'a':1}", "{'$setOnInsert':{'b':2}}", "{'a':1}");
        assertThat(ev.effect()).isEmpty();
    }

    @Test
    void pushAppendsAndCreates() {
        var ev = ok("{'qux':['one','two']}", "{'$push':{'qux':'three'}}", "{'qux':['one','two','three']}");
        assertThat(ev.commutative()).isTrue();
        assertThat(ev.paths()).containsExactly("qux");
        assertThat(ev.effect().getJsonObject(0).getString("op")).isEqualTo("add");
        ok("{}", "{'$push':{'a':{'x':1}}}", "{'a':[{'x':1}]}");
        ok("{'a':[1]}", "{'$push':{'a':{'$each':[2,3]}}}", "{'a':[1,2,3]}");
    }

    @Test
    void pushModifiers() {
        var ev = ok("{'a':[1,2,3]}", "{'$push':{'a':{'$each':[9],'$position':1}}}", "{'a':[1,9,2,3]}");
        assertThat(ev.commutative()).isFalse();
        ok("{'a':[1,2,3]}", "{'$push':{'a':{'$each':[9],'$position':-1}}}", "{'a':[1,2,9,3]}");
        ok("{'a':[5,1]}", "{'$push':{'a':{'$each':[3],'$sort':1}}}", "{'a':[1,3,5]}");
        ok("{'a':[5,1]}", "{'$push':{'a':{'$each':[3],'$sort':-1,'$slice':2}}}", "{'a':[5,3]}");
        ok("{'a':[1,2,3]}", "{'$push':{'a':{'$each':[4],'$slice':-2}}}", "{'a':[3,4]}");
        ok("{'a':[1,2,3]}", "{'$push':{'a':{'$each':[],'$slice':0}}}", "{'a':[]}");
        ok("{'s':[{'n':'a','score':5},{'n':'b','score':9}]}",
                "{'$push':{'s':{'$each':[{'n':'c','score':7}],'$sort':{'score':-1},'$slice':2}}}",
                "{'s':[{'n':'b','score':9},{'n':'c','score':7}]}");
        // position, then sort, then slice
        ok("{'a':[3,1]}", "{'$push':{'a':{'$each':[2],'$position':0,'$slice':2}}}", "{'a':[2,3]}");
    }

    @Test
    void addToSet() {
        var ev = ok("{'a':[1,{'x':1}]}", "{'$addToSet':{'a':{'$each':[1,2,{'x':1},2]}}}", "{'a':[1,{'x':1},2]}");
        assertThat(ev.commutative()).isTrue();
        ok("{}", "{'$addToSet':{'a':'x'}}", "{'a':['x']}");
        var same = ok("{'a':['x']}", "{'$addToSet':{'a':'x'}}", "{'a':['x']}");
        assertThat(same.effect()).isEmpty();
    }

    @Test
    void pop() {
        ok("{'a':[1,2,3]}", "{'$pop':{'a':1}}", "{'a':[1,2]}");
        ok("{'a':[1,2,3]}", "{'$pop':{'a':-1}}", "{'a':[2,3]}");
        ok("{'a':[]}", "{'$pop':{'a':1}}", "{'a':[]}");
        ok("{}", "{'$pop':{'a':1}}", "{}");
    }

    @Test
    void pullValuesAndConditions() {
        ok("{'a':[1,2,3,2]}", "{'$pull':{'a':2}}", "{'a':[1,3]}");
        ok("{'a':[1,5,3,7]}", "{'$pull':{'a':{'$gte':5}}}", "{'a':[1,3]}");
        ok("{'a':[1,5,3,7]}", "{'$pull':{'a':{'$in':[1,7]}}}", "{'a':[5,3]}");
        ok("{'a':[1,5,3]}", "{'$pull':{'a':{'$nin':[5]}}}", "{'a':[5]}");
        ok("{'a':[1,5,3]}", "{'$pull':{'a':{'$ne':5}}}", "{'a':[5]}");
        ok("{'a':[1,5,3]}", "{'$pull':{'a':{'$lt':3,'$gt':0}}}", "{'a':[5,3]}");
        ok("{'a':[1,5,3]}", "{'$pull':{'a':{'$eq':5}}}", "{'a':[1,3]}");
        ok("{'a':[1,5,3]}", "{'$pull':{'a':{'$lte':3}}}", "{'a':[5]}");
        ok("{'r':[{'score':8,'name':'x'},{'score':2,'name':'x'},{'score':9,'name':'y'}]}",
                "{'$pull':{'r':{'score':{'$gt':3},'name':'x'}}}",
                "{'r':[{'score':2,'name':'x'},{'score':9,'name':'y'}]}");
        ok("{'r':[{'a':1,'b':2},{'a':2}]}", "{'$pull':{'r':{'a':1}}}", "{'r':[{'a':2}]}");
        ok("{'a':[[1],[2]]}", "{'$pull':{'a':[1]}}", "{'a':[[2]]}");
        ok("{}", "{'$pull':{'a':1}}", "{}");
        var ev = ok("{'a':[1,2,3,2]}", "{'$pull':{'a':2}}", "{'a':[1,3]}");
        assertThat(ev.effect()).allSatisfy(op -> assertThat(op.asJsonObject().getString("op")).isEqualTo("remove"));
        assertThat(ev.commutative()).isFalse();
    }

    @Test
    void pullAll() {
        ok("{'a':[1,2,3,1,4]}", "{'$pullAll':{'a':[1,4]}}", "{'a':[2,3]}");
    }

    @Test
    void bit() {
        ok("{'a':13}", "{'$bit':{'a':{'and':10}}}", "{'a':8}");
        ok("{'a':3}", "{'$bit':{'a':{'or':5}}}", "{'a':7}");
        ok("{'a':1}", "{'$bit':{'a':{'xor':5}}}", "{'a':4}");
        ok("{}", "{'$bit':{'a':{'or':5}}}", "{'a':5}");
    }

    @Test
    void allPositional() {
        ok("{'arr':[1,2,3]}", "{'$inc':{'arr.$[]':1}}", "{'arr':[2,3,4]}");
        ok("{'a':[{'b':0},{'c':1}]}", "{'$set':{'a.$[].b':1}}", "{'a':[{'b':1},{'c':1,'b':1}]}");
        ok("{'a':[{'b':[1]},{'b':[]}]}", "{'$push':{'a.$[].b':2}}", "{'a':[{'b':[1,2]},{'b':[2]}]}");
        ok("{'a':[]}", "{'$set':{'a.$[].b':1}}", "{'a':[]}");
        var ev = ok("{'a':[1,2]}", "{'$unset':{'a.$[]':1}}", "{'a':[null,null]}");
        assertThat(ev.paths()).containsExactly("a.$[]");
    }

    @Test
    void severalOperatorsTogether() {
        var ev = ok("{'a':1,'b':[1],'c':{'d':1}}",
                "{'$inc':{'a':2},'$push':{'b':2},'$max':{'c.d':5},'$addToSet':{'e':1},'$mul':{'f':2},'$min':{'g':1}}",
                "{'a':3,'b':[1,2],'c':{'d':5},'e':[1],'f':0,'g':1}");
        assertThat(ev.commutative()).isTrue();
        assertThat(ev.paths()).containsExactly("a", "b", "c.d", "e", "f", "g");
    }

    @Test
    void fluentUpdateApi() {
        var ev = Fixture.check(obj("{'foo':1,'qux':['one']}"), Update.set("foo", 2).push("qux", "two"),
                obj("{'foo':2,'qux':['one','two']}"));
        assertThat(ev.paths()).containsExactly("foo", "qux");
    }

    @Test
    void inputValuesAreConvertedToPersistentForm() {
        var ev = ok("{}", "{'$set':{'a':{'b':[1,{'c':2}]}}}", "{'a':{'b':[1,{'c':2}]}}");
        assertThat(ev.document().get("a")).isInstanceOf(PJsonObject.class);
        assertThat(ev.document().getJsonObject("a").get("b")).isInstanceOf(PJsonArray.class);
        assertThat(json("1")).isNotNull();
    }

    @Test
    void minMaxCompareDocumentsByFieldTypeBeforeFieldName() {
        // MongoDB compares {b:"x"} and {c:1} by the first pair's value type (number < string) before the names
        ok("{'a':{'b':'x'}}", "{'$max':{'a':{'c':1}}}", "{'a':{'b':'x'}}");
        ok("{'a':{'b':'x'}}", "{'$min':{'a':{'c':1}}}", "{'a':{'c':1}}");
        ok("{'a':[{'b':'x'},{'c':1}]}", "{'$push':{'a':{'$each':[],'$sort':1}}}", "{'a':[{'c':1},{'b':'x'}]}");
        ok("{'a':{'x':1}}", "{'$max':{'a':{'x':1,'y':0}}}", "{'a':{'x':1,'y':0}}");
    }

    @Test
    void decimalArithmeticNeverTurnsIntegral() {
        var ev = ok("{'n':1}", "{'$inc':{'n':1E2}}", "{'n':101.0}");
        assertThat(ev.document().getJsonNumber("n").isIntegral()).isFalse();
        ev = ok("{'n':2}", "{'$mul':{'n':2.0}}", "{'n':4.0}");
        assertThat(ev.document().getJsonNumber("n").isIntegral()).isFalse();
        ev = ok("{}", "{'$mul':{'n':1E2}}", "{'n':0.0}");
        assertThat(ev.document().getJsonNumber("n").isIntegral()).isFalse();
        ev = ok("{'n':3}", "{'$mul':{'n':1.5}}", "{'n':4.5}");
        ev = ok("{'n':2147483647}", "{'$mul':{'n':2}}", "{'n':4294967294}");
        assertThat(ev.document().getJsonNumber("n").isIntegral()).isTrue();
    }

    @Test
    void setOnInsertCommutesAndTouchesNothing() {
        var ev = ok("{'a':1}", "{'$setOnInsert':{'b':2},'$inc':{'a':1}}", "{'a':2}");
        assertThat(ev.commutative()).isTrue();
        assertThat(ev.paths()).containsExactly("a");
        fails("{'a':1}", "{'$setOnInsert':{'a':2},'$set':{'a':3}}", "conflict");
    }

    @Test
    void pullConditionKindFollowsTheFirstKey() {
        // an object whose first key is not a field operator is a query that only documents can match
        ok("{'a':[{'b':1},2,{'c':1},[3]]}", "{'$pull':{'a':{}}}", "{'a':[2,[3]]}");
        ok("{'a':[{'b':1},{'b':2},{'c':3}]}", "{'$pull':{'a':{'$or':[{'b':1},{'c':3}]}}}", "{'a':[{'b':2}]}");
        ok("{'a':[{'b':1},{'b':2},{'c':3}]}", "{'$pull':{'a':{'$and':[{'b':{'$gt':0}},{'b':{'$lt':2}}]}}}",
                "{'a':[{'b':2},{'c':3}]}");
        // field-level operators apply to the element itself
        ok("{'a':[[1,7],[2],7]}", "{'$pull':{'a':{'$gte':6}}}", "{'a':[[2]]}");
        // a scalar must equal the element exactly (no matching inside array elements)
        ok("{'a':[[1,2],1]}", "{'$pull':{'a':1}}", "{'a':[[1,2]]}");
        fails("{'a':[1]}", "{'$pull':{'a':{'$regex':'x'}}}", "$pull", "'a'");
    }

    @Test
    void pullQueryNullMatchesMissingAndElemMatch() {
        ok("{'a':[{'b':1},{'b':null},{'c':3}]}", "{'$pull':{'a':{'b':null}}}", "{'a':[{'b':1}]}");
        ok("{'a':[{'b':1},{'c':2}]}", "{'$pull':{'a':{'b':{'$ne':null}}}}", "{'a':[{'c':2}]}");
        ok("{'a':[{'b':1},{'c':2}]}", "{'$pull':{'a':{'b':{'$in':[null]}}}}", "{'a':[{'b':1}]}");
        ok("{'r':[{'ans':[{'q':1,'a':4},{'q':2,'a':6}]},{'ans':[{'q':1,'a':8},{'q':2,'a':9}]}]}",
                "{'$pull':{'r':{'ans':{'$elemMatch':{'q':2,'a':{'$gte':8}}}}}}",
                "{'r':[{'ans':[{'q':1,'a':4},{'q':2,'a':6}]}]}");
        ok("{'a':[{'t':[1,2]},{'t':[3]}]}", "{'$pull':{'a':{'t':{'$size':1}}}}", "{'a':[{'t':[1,2]}]}");
        ok("{'a':[{'b':1},{'b':2}]}", "{'$pull':{'a':{'b':{'$not':{'$gt':1}}}}}", "{'a':[{'b':2}]}");
    }

    @Test
    void allPositionalNeedsAnExistingArrayForEveryOperator() {
        fails("{}", "{'$unset':{'a.$[]':1}}", "$unset", "'a.$[]'", "must exist");
        fails("{'a':'x'}", "{'$unset':{'a.$[]':1}}", "$unset", "'a.$[]'");
        fails("{'a':5}", "{'$unset':{'a.b.$[]':1}}", "$unset", "must exist");
        fails("{'a':[1]}", "{'$unset':{'a.b.$[]':1}}", "$unset", "must exist");
        fails("{}", "{'$pull':{'a.$[]':1}}", "$pull", "must exist");
        fails("{'a':{}}", "{'$pop':{'a.b.$[]':1}}", "$pop", "must exist");
        ok("{'a':[[1,2],[3]]}", "{'$set':{'a.$[].$[]':0}}", "{'a':[[0,0],[0]]}");
    }

    @Test
    void pushModifierNumbersMayBeIntegralDoubles() {
        ok("{'a':[1,2,3]}", "{'$push':{'a':{'$each':[9],'$slice':2.0}}}", "{'a':[1,2]}");
        ok("{'a':[1,2,3]}", "{'$push':{'a':{'$each':[9],'$position':1.0}}}", "{'a':[1,9,2,3]}");
        ok("{'a':[2,1]}", "{'$push':{'a':{'$each':[3],'$sort':-1.0}}}", "{'a':[3,2,1]}");
        ok("{'a':[1,2,3]}", "{'$push':{'a':{'$each':[9],'$slice':1E12}}}", "{'a':[1,2,3,9]}");
        ok("{'a':[1,2,3]}", "{'$push':{'a':{'$each':[9],'$position':-1E12}}}", "{'a':[9,1,2,3]}");
        fails("{'a':[1]}", "{'$push':{'a':{'$each':[9],'$slice':1.5}}}", "$push", "'a'", "$slice");
        // $sort by a field: non-documents sort as null, an array field as a whole array (after numbers)
        ok("{'a':[{'b':1},2,{'b':0}]}", "{'$push':{'a':{'$each':[],'$sort':{'b':1}}}}", "{'a':[2,{'b':0},{'b':1}]}");
        ok("{'a':[{'b':[3,1]},{'b':2}]}", "{'$push':{'a':{'$each':[],'$sort':{'b':1}}}}", "{'a':[{'b':2},{'b':[3,1]}]}");
    }

    @Test
    void allPositionalConflictsWithOtherPathsIntoTheSameArray() {
        fails("{'a':[{'b':1},{'b':2}]}", "{'$inc':{'a.$[].b':1},'$set':{'a.0.c':1}}", "conflict", "'a.0.c'");
        fails("{'a':[{'b':1}]}", "{'$set':{'a.$[].b':1,'a.x':1}}", "conflict");
        ok("{'a':[{'b':1},{'b':2}]}", "{'$inc':{'a.$[].b':1},'$set':{'a.$[].c':0}}",
                "{'a':[{'b':2,'c':0},{'b':3,'c':0}]}");
    }

    @Test
    void currentDateHasMillisecondPrecision() {
        var ev = Fixture.check(obj("{}"), Update.of(obj("{'$currentDate':{'d':true}}")), null);
        Instant d = Instant.parse(ev.document().getString("d"));
        assertThat(d.getNano() % 1_000_000).isZero();
    }

    @Test
    void fieldsApplyInPathOrderLikeMongoDb5() {
        var ev = ok("{}", "{'$set':{'z':1,'a':1}}", "{'a':1,'z':1}");
        assertThat(ev.paths()).containsExactly("z", "a");
        ok("{'x':0}", "{'$inc':{'b':1},'$set':{'a':1}}", "{'x':0,'a':1,'b':1}");
        ok("{'m':1}", "{'$rename':{'m':'b'},'$set':{'a':1}}", "{'a':1,'b':1}");
        ok("{'o':{}}", "{'$set':{'o.10':1,'o.9':2,'o.x':3}}", "{'o':{'9':2,'10':1,'x':3}}");
        ok("{'a':[]}", "{'$set':{'a.3':1,'a.1':2}}", "{'a':[null,2,null,1]}");
        // a.2 is applied before a.10, so $bit sees a missing element rather than a padded null
        ok("{'a':[]}", "{'$set':{'a.10':1},'$bit':{'a.2':{'or':1}}}",
                "{'a':[null,null,1,null,null,null,null,null,null,null,1]}");
    }

    @Test
    void errorsForEachCase() {
        fails("{'a':1}", "{'$foo':{'a':1}}", "$foo");
        fails("{'a':1}", "{}", "empty");
        fails("{'a':1}", "{'a':2}", "'a'", "operator");
        fails("{'a':1}", "{'$inc':5}", "$inc");
        fails("{'a':1}", "{'$inc':{'a':'x'}}", "$inc", "'a'");
        fails("{'a':'s'}", "{'$inc':{'a':1}}", "$inc", "'a'");
        fails("{'a':'s'}", "{'$mul':{'a':2}}", "$mul", "'a'");
        fails("{'a':1}", "{'$push':{'a':1}}", "$push", "'a'");
        fails("{'a':1}", "{'$addToSet':{'a':1}}", "$addToSet", "'a'");
        fails("{'a':1}", "{'$pop':{'a':1}}", "$pop", "'a'");
        fails("{'a':1}", "{'$pull':{'a':1}}", "$pull", "'a'");
        fails("{'a':1}", "{'$pullAll':{'a':[1]}}", "$pullAll", "'a'");
        fails("{'a':1}", "{'$set':{'a':1},'$inc':{'a':1}}", "$inc", "'a'");
        fails("{'a':{'b':1}}", "{'$set':{'a':1},'$inc':{'a.b':1}}", "$inc", "'a.b'", "'a'");
        fails("{'a':1}", "{'$rename':{'a':'a'}}", "$rename", "'a'");
        fails("{'a':{'b':1}}", "{'$rename':{'a':'a.b'}}", "$rename", "'a'", "'a.b'");
        fails("{'a':{'b':1}}", "{'$rename':{'a.b':'a'}}", "$rename", "'a.b'");
        fails("{'a':5}", "{'$set':{'a.b':1}}", "$set", "'a.b'");
        fails("{'a':1}", "{'$set':{'a..b':1}}", "$set", "'a..b'");
        fails("{'a':1}", "{'$set':{'':1}}", "$set", "''");
        fails("{'a':1}", "{'$set':{'.a':1}}", "$set", "'.a'");
        fails("{'a':[1]}", "{'$pop':{'a':2}}", "$pop", "'a'");
        fails("{'a':1.5}", "{'$bit':{'a':{'and':1}}}", "$bit", "'a'");
        fails("{'a':1}", "{'$bit':{'a':{'and':1.5}}}", "$bit", "'a'");
        fails("{'a':1}", "{'$bit':{'a':{'nand':1}}}", "$bit", "'a'");
        fails("{'a':[1,2]}", "{'$inc':{'a.$[]':1,'a.0':1}}", "$inc", "'a.0'");
        fails("{'a':[1,'x']}", "{'$inc':{'a.$[]':1}}", "$inc", "'a.$[]'");
        fails("{'a':1}", "{'$set':{'a.$[]':1}}", "$set", "'a.$[]'");
        fails("{'a':[1]}", "{'$set':{'a.x':1}}", "$set", "'a.x'");
        fails("{'a':[1]}", "{'$push':{'a':{'$each':[1],'$bogus':1}}}", "$push", "'a'");
        fails("{'a':[1]}", "{'$push':{'a':{'$each':1}}}", "$push", "'a'");
        fails("{'a':[1]}", "{'$push':{'a':{'$each':[1],'$sort':2}}}", "$push", "'a'");
        fails("{'a':[1]}", "{'$set':{}}", "$set");
        fails("{'a':[1]}", "{'$currentDate':{'d':{'$type':'x'}}}", "$currentDate", "'d'");
        fails("{'a':[1]}", "{'$set':{'a.$x':1}}", "$set", "'a.$x'");
        fails("{'a':[1]}", "{'$set':{'" + "x".repeat(1001) + "':1}}", "$set", "longer than");
    }

    @Test
    void failureInLaterOperatorAppliesNothing() {
        fails("{'a':1,'b':'x'}", "{'$set':{'a':2},'$inc':{'b':1}}", "$inc", "'b'");
    }
}
