"""The trainer's builder: programs drafted, saved, archived and assigned, and the trainer's own exercises."""
