/// The standard skills cards, as `Config/catalogue.yaml` lists them (the embedded
/// defaults when the file is absent). Short plain-language summaries written for
/// this product.
public enum SkillsCardCatalogue {
    private static func section(_ heading: String, _ lines: String...) -> CardSection {
        CardSection(heading: heading, lines: lines)
    }

    private static func field(_ label: String, _ maxLength: Int = 300) -> CardField {
        CardField(label: label, maxLength: maxLength)
    }

    /// DBT STOP: pause before acting on an urge.
    public static let stop = SkillsCard(
        id: "dbt-stop", title: "STOP (DBT distress tolerance)",
        sections: [
            section("S: Stop", "Freeze. Do not act on the urge yet."),
            section("T: Take a step back", "Breathe. Give yourself a moment before you respond."),
            section("O: Observe", "Notice what is happening inside you and around you: thoughts, feelings, facts."),
            section("P: Proceed mindfully", "Ask what you want from this situation, and act with that in mind."),
        ],
        fields: [field("The situation", 200), field("What I noticed"), field("How I chose to go on")])

    /// DBT TIPP: change body chemistry fast in a crisis.
    public static let tipp = SkillsCard(
        id: "dbt-tipp", title: "TIPP (DBT crisis survival)",
        sections: [
            section(
                "T: Temperature", "Cool your face with cold water or a cold pack for about 30 seconds.",
                "Ask your doctor first if you have a heart condition."),
            section("I: Intense exercise", "Move hard for a few minutes: a brisk walk, stairs, jumping jacks."),
            section("P: Paced breathing", "Breathe out longer than you breathe in, about six breaths a minute."),
            section(
                "P: Paired muscle relaxation", "Tense a muscle group as you breathe in; let it go as you breathe out."),
        ],
        fields: [field("Distress before (0-10)", 20), field("What I tried", 200), field("Distress after (0-10)", 20)])

    /// DBT DEAR MAN: ask for what you want, or say no, clearly.
    public static let dearMan = SkillsCard(
        id: "dbt-dear-man", title: "DEAR MAN (DBT interpersonal effectiveness)",
        sections: [
            section("D: Describe", "Stick to the facts of the situation."),
            section("E: Express", "Say how you feel and what you think, with I statements."),
            section("A: Assert", "Ask clearly for what you want, or say no clearly."),
            section("R: Reinforce", "Say what the other person gains if they agree."),
            section("M: Mindful", "Stay on your point; calmly repeat it if you need to."),
            section("A: Appear confident", "A steady voice, eye contact, an upright posture."),
            section("N: Negotiate", "Be willing to give to get; offer other ways to solve it."),
        ],
        fields: [field("Describe"), field("Express"), field("Assert"), field("Reinforce"), field("Negotiate")])

    /// A CBT thought record: catch a thought and weigh it.
    public static let thoughtRecord = SkillsCard(
        id: "cbt-thought-record", title: "Thought record (CBT)",
        sections: [
            section(
                "How to use it", "Pick one moment when your mood changed.",
                "Fill in the fields in order; rate feelings from 0 to 100."),
            section(
                "Questions to weigh the thought", "What is the evidence for it, and against it?",
                "What would I tell a friend who had this thought?", "Is there another way to see it?"),
        ],
        fields: [
            field("Situation"), field("Feelings (0-100)", 200), field("Automatic thought"), field("Evidence for"),
            field("Evidence against"), field("Balanced thought"), field("Feelings now (0-100)", 200),
        ])

    /// A relapse-prevention plan.
    public static let relapsePrevention = SkillsCard(
        id: "relapse-prevention-plan", title: "Relapse-prevention plan",
        sections: [
            section("Triggers", "People, places, feelings and times that raise the risk of use."),
            section("Warning signs", "Changes in thinking, mood or routine that tend to come before a lapse."),
            section(
                "Coping steps",
                "What has helped before: leave the situation, call someone, use a skill, wait 15 minutes."
            ),
            section("Support", "Who you can call, day and night, and where you can go."),
            section("If a lapse happens", "A lapse is not a failure. Get safe, reach out, and learn from it."),
        ],
        fields: [
            field("My triggers"), field("My warning signs"), field("What I will do"), field("People I can call", 200),
            field("My reasons to stay on track"),
        ])

    /// 5-4-3-2-1 grounding through the senses.
    public static let grounding = SkillsCard(
        id: "grounding-5-4-3-2-1", title: "Grounding: 5-4-3-2-1",
        sections: [
            section("When to use it", "When anxiety, panic or memories pull you out of the present."),
            section(
                "Steps", "5: name five things you can see.", "4: four things you can touch or feel.",
                "3: three things you can hear.", "2: two things you can smell.", "1: one thing you can taste."),
            section("Then", "Take one slow breath and notice how you feel now."),
        ],
        fields: [field("What helped me come back")])

    /// Every standard card, in catalogue order.
    public static let standard = [stop, tipp, dearMan, thoughtRecord, relapsePrevention, grounding]
}
